using DistributedSync.Bson;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class WireStreamTests
{
    [Fact]
    public async Task StreamWithTwoMessagesBackToBack_ReadsBoth_ThenCleanEofGivesNull()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = Samples.All["query-hello"]();
        var second = Samples.All["msg-checksum"]();
        using var stream = new MemoryStream([.. WireMessageCodec.ToBytes(first), .. WireMessageCodec.ToBytes(second)]);

        MessageAssert.Equivalent(first, (await WireStream.ReadMessageAsync(stream, cancellationToken: ct))!);
        MessageAssert.Equivalent(second, (await WireStream.ReadMessageAsync(stream, cancellationToken: ct))!);
        Assert.Null(await WireStream.ReadMessageAsync(stream, cancellationToken: ct));
    }

    [Fact]
    public async Task TricklingStream_DeliveringOneByteAtATime_StillReadsWholeMessages()
    {
        var ct = TestContext.Current.CancellationToken;
        var messages = Samples.All.Values.Select(f => f()).ToArray();
        using var inner = new MemoryStream([.. messages.SelectMany(m => WireMessageCodec.ToBytes(m))]);
        await using var stream = new TrickleStream(inner);

        foreach (var expected in messages)
        {
            MessageAssert.Equivalent(expected, (await WireStream.ReadMessageAsync(stream, cancellationToken: ct))!);
        }

        Assert.Null(await WireStream.ReadMessageAsync(stream, cancellationToken: ct));
    }

    [Fact]
    public async Task WriteThenRead_RoundTripsEveryMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        using var stream = new MemoryStream();
        foreach (var make in Samples.All.Values)
        {
            await WireStream.WriteMessageAsync(stream, make(), cancellationToken: ct);
        }

        stream.Position = 0;
        foreach (var make in Samples.All.Values)
        {
            MessageAssert.Equivalent(make(), (await WireStream.ReadMessageAsync(stream, cancellationToken: ct))!);
        }

        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public async Task EofInsideHeader_ThrowsEndOfStream()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = WireMessageCodec.ToBytes(Samples.All["msg-body"]());
        for (var length = 1; length < MessageHeader.Size; length++)
        {
            using var stream = new MemoryStream(bytes[..length]);
            await Assert.ThrowsAsync<EndOfStreamException>(async () => await WireStream.ReadMessageAsync(stream, cancellationToken: ct));
        }
    }

    [Fact]
    public async Task EofInsideBody_ThrowsEndOfStream()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = WireMessageCodec.ToBytes(Samples.All["msg-sequences"]());
        for (var length = MessageHeader.Size; length < bytes.Length; length++)
        {
            using var stream = new MemoryStream(bytes[..length]);
            await Assert.ThrowsAsync<EndOfStreamException>(async () => await WireStream.ReadMessageAsync(stream, cancellationToken: ct));
        }
    }

    [Fact]
    public async Task HostileLength_IsRejectedWithoutAllocatingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = WireMessageCodec.ToBytes(Samples.All["msg-body"]());
        BitConverter.TryWriteBytes(bytes, int.MaxValue);
        using var stream = new MemoryStream(bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = await Assert.ThrowsAsync<WireProtocolException>(async () => await WireStream.ReadMessageAsync(stream, cancellationToken: ct));

        Assert.Equal(0, e.Offset);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1024 * 1024);
    }

    [Fact]
    public async Task MalformedBody_ThrowsWireProtocolException()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(1u << 5).Byte(0).Document(new BsonDocument("a", 1)).Build();
        using var stream = new MemoryStream(bytes);

        var e = await Assert.ThrowsAsync<WireProtocolException>(async () => await WireStream.ReadMessageAsync(stream, cancellationToken: ct));
        Assert.Equal(16, e.Offset);
    }

    [Fact]
    public async Task ReadFrame_GivesRawBytes_AndRefusesUseAfterDispose()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = WireMessageCodec.ToBytes(Samples.All["reply-many"]());
        using var stream = new MemoryStream(bytes);

        var frame = await WireStream.ReadFrameAsync(stream, cancellationToken: ct);
        Assert.NotNull(frame);
        Assert.Equal(bytes, frame.Memory.ToArray());
        Assert.Equal(bytes.Length, frame.Header.MessageLength);
        Assert.Equal(OpCode.Reply, frame.Header.OpCode);
        MessageAssert.Equivalent(Samples.All["reply-many"](), frame.Decode());
        frame.Dispose();
        Assert.Throws<ObjectDisposedException>(() => frame.Memory);
    }

    /// <summary>Returns at most one byte per read, like a slow socket.</summary>
    private sealed class TrickleStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => inner.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
