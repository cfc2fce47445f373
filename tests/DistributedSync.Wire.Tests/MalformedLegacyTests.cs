using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class MalformedLegacyTests
{
    private static readonly BsonDocument Hello = new("hello", 1);

    [Fact]
    public void Query_WithoutSelector_IsAccepted_FromIndependentBytes()
    {
        var bytes = RawMessage.Start(OpCode.Query, requestId: 3).Int32(4).CString("admin.$cmd").Int32(0).Int32(-1).Document(Hello).Build();

        var q = Assert.IsType<OpQueryMessage>(Decoding.Accepts(bytes));
        Assert.Equal(OpQueryFlags.SecondaryOk, q.Flags);
        Assert.Equal("admin.$cmd", q.FullCollectionName);
        Assert.Equal(-1, q.NumberToReturn);
        Assert.Equal(Hello, q.Query);
        Assert.Null(q.ReturnFieldsSelector);
        Assert.Equal(3, q.RequestId);
    }

    [Fact]
    public void Query_NameWithoutTerminator_IsRejected()
    {
        // No NUL anywhere after the flags: the name never ends.
        var bytes = RawMessage.Start(OpCode.Query).Int32(0).Bytes("admin.$cmd"u8).Bytes(Enumerable.Repeat((byte)'A', 20).ToArray()).Build();

        Assert.Contains("NUL", Decoding.Rejects(bytes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_NameInvalidUtf8_IsRejected()
    {
        var bytes = RawMessage.Start(OpCode.Query).Int32(0).Bytes([0xFF, 0x2E, 0x61, 0]).Int32(0).Int32(1).Document(Hello).Build();

        Assert.Equal(20, Decoding.Rejects(bytes).Offset);
    }

    [Fact]
    public void Query_BytesAfterSelector_AreRejected()
    {
        var raw = RawMessage.Start(OpCode.Query).Int32(0).CString("db.c").Int32(0).Int32(1).Document(Hello).Document(Hello);
        var end = raw.Position;
        var bytes = raw.Document(Hello).Build();

        Assert.Equal(end, Decoding.Rejects(bytes).Offset);
    }

    [Fact]
    public void Query_InvalidBsonInQuery_IsWrapped()
    {
        var doc = BsonCodec.ToBytes(Hello);
        doc[^1] = 9;
        var raw = RawMessage.Start(OpCode.Query).Int32(0).CString("db.c").Int32(0).Int32(1);
        var start = raw.Position;
        var bytes = raw.Bytes(doc).Build();

        var e = Decoding.Rejects(bytes);
        Assert.Equal(start + Assert.IsType<BsonFormatException>(e.InnerException).Offset, e.Offset);
    }

    [Fact]
    public void Query_SelectorOverrunningMessage_IsRejected()
    {
        var selector = BsonCodec.ToBytes(Hello);
        var bytes = RawMessage.Start(OpCode.Query).Int32(0).CString("db.c").Int32(0).Int32(1).Document(Hello).Bytes(selector[..^2]).Build();

        Decoding.Rejects(bytes);
    }

    [Fact]
    public void Reply_FromIndependentBytes_IsAccepted()
    {
        var bytes = RawMessage.Start(OpCode.Reply, requestId: 5, responseTo: 3)
            .Int32(8).Int64(-2).Int32(4).Int32(2).Document(Hello).Document(new BsonDocument("ok", 1.0))
            .Build();

        var r = Assert.IsType<OpReplyMessage>(Decoding.Accepts(bytes));
        Assert.Equal(OpReplyFlags.AwaitCapable, r.ResponseFlags);
        Assert.Equal(-2, r.CursorId);
        Assert.Equal(4, r.StartingFrom);
        Assert.Equal(2, r.NumberReturned);
        Assert.Equal(3, r.ResponseTo);
        Assert.Equal(1.0, r.Documents[1]["ok"].AsDouble);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Reply_NegativeNumberReturned_IsRejectedAtTheField(int numberReturned)
    {
        var bytes = RawMessage.Start(OpCode.Reply).Int32(0).Int64(0).Int32(0).Int32(numberReturned).Document(Hello).Build();

        Assert.Equal(32, Decoding.Rejects(bytes).Offset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    public void Reply_NumberReturnedDisagreeingWithDocuments_IsRejected(int numberReturned)
    {
        var bytes = RawMessage.Start(OpCode.Reply).Int32(0).Int64(0).Int32(0).Int32(numberReturned).Document(Hello).Document(Hello).Build();

        Assert.Contains("numberReturned", Decoding.Rejects(bytes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reply_HugeNumberReturnedWithoutDocuments_IsRejectedWithoutAllocating()
    {
        var bytes = RawMessage.Start(OpCode.Reply).Int32(0).Int64(0).Int32(0).Int32(int.MaxValue).Build();
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(bytes));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    [Fact]
    public void Reply_DocumentCutShort_IsRejected()
    {
        var doc = BsonCodec.ToBytes(Hello);
        var bytes = RawMessage.Start(OpCode.Reply).Int32(0).Int64(0).Int32(0).Int32(1).Bytes(doc[..^1]).Build();

        Decoding.Rejects(bytes);
    }

    [Fact]
    public void Query_NameThatCannotBeACString_IsRejectedOnConstruction()
    {
        Assert.Throws<ArgumentException>(() => new OpQueryMessage("a\0b", Hello));
        Assert.Throws<ArgumentException>(() => new OpQueryMessage("db.\ud800", Hello));
    }
}
