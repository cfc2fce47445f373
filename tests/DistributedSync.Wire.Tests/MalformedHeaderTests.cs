using DistributedSync.Bson;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class MalformedHeaderTests
{
    public static TheoryData<string> Names => Samples.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Truncation_AtEveryOffset_IsRejected(string name)
    {
        var bytes = WireMessageCodec.ToBytes(Samples.All[name]());
        for (var length = 0; length < bytes.Length; length++)
        {
            var e = Decoding.Rejects(bytes[..length]);
            Assert.Equal(length, e.Offset);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Truncation_WithLengthFieldAdjusted_IsRejectedOrIsAValidShorterMessage(string name)
    {
        var bytes = WireMessageCodec.ToBytes(Samples.All[name]());
        for (var length = MessageHeader.Size; length < bytes.Length; length++)
        {
            var cut = bytes[..length];
            BitConverter.TryWriteBytes(cut, length);
            try
            {
                var decoded = WireMessageCodec.Decode(cut);
                Assert.Equal(WireMessageCodec.ToBytes(decoded).Length, length);
            }
            catch (WireProtocolException e)
            {
                Assert.InRange(e.Offset, 0, length);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(15)]
    public void DeclaredLength_BelowHeaderSize_IsRejectedAtOffsetZero(int declared)
    {
        var bytes = WireMessageCodec.ToBytes(Samples.All["msg-body"]());
        BitConverter.TryWriteBytes(bytes, declared);

        Assert.Equal(0, Decoding.Rejects(bytes).Offset);
    }

    [Theory]
    [InlineData(OpCode.Msg)]
    [InlineData(OpCode.Query)]
    [InlineData(OpCode.Reply)]
    public void DeclaredLength_BelowOperationMinimum_IsRejected(OpCode opCode)
    {
        var minimum = MessageHeader.MinimumLength(opCode);
        var bytes = RawMessage.Start(opCode).Bytes(new byte[minimum - 1 - MessageHeader.Size]).Build();

        var e = Decoding.Rejects(bytes);
        Assert.Equal(0, e.Offset);
        Assert.Contains(minimum.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DeclaredLength_AboveMaximum_IsRejectedBeforeTheBodyIsLookedAt()
    {
        var bytes = WireMessageCodec.ToBytes(Samples.All["msg-rich-body"]());
        var limits = new WireLimits { MaxMessageSize = bytes.Length - 1 };

        Assert.Equal(0, Decoding.Rejects(bytes, limits).Offset);
        Assert.IsType<OpMsgMessage>(Decoding.Accepts(bytes, new WireLimits { MaxMessageSize = bytes.Length }));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(48_000_001)]
    public void DeclaredLength_HostileHuge_IsRejected(int declared)
    {
        var bytes = WireMessageCodec.ToBytes(Samples.All["msg-body"]());
        BitConverter.TryWriteBytes(bytes, declared);

        Assert.Equal(0, Decoding.Rejects(bytes).Offset);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void DeclaredLength_LargerThanBytes_IsRejectedAtEndOfInput(string name)
    {
        var bytes = WireMessageCodec.ToBytes(Samples.All[name]());
        BitConverter.TryWriteBytes(bytes, bytes.Length + 1);

        Assert.Equal(bytes.Length, Decoding.Rejects(bytes).Offset);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void GarbageAfterValidMessage_IsRejectedAtEndOfMessage(string name)
    {
        var bytes = WireMessageCodec.ToBytes(Samples.All[name]());

        Assert.Equal(bytes.Length, Decoding.Rejects([.. bytes, 0]).Offset);
        Assert.Equal(bytes.Length, Decoding.Rejects([.. bytes, .. bytes]).Offset);
    }

    public static TheoryData<string, byte[]> NamesAndGarbage()
    {
        var data = new TheoryData<string, byte[]>();
        foreach (var name in Samples.All.Keys)
        {
            data.Add(name, [0x00]);
            data.Add(name, [0x07]);
            data.Add(name, [0xFF, 0xFF]);
            data.Add(name, [0x01, 0x02, 0x03]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NamesAndGarbage))]
    public void GarbageCountedInDeclaredLength_IsRejected(string name, byte[] garbage)
    {
        byte[] bytes = [.. WireMessageCodec.ToBytes(Samples.All[name]()), .. garbage];
        BitConverter.TryWriteBytes(bytes, bytes.Length);

        Decoding.Rejects(bytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2001)]
    [InlineData(2002)]
    [InlineData(2003)]
    [InlineData(2005)]
    [InlineData(2006)]
    [InlineData(2007)]
    [InlineData(2012)]
    [InlineData(9999)]
    [InlineData(-2013)]
    public void UnsupportedOpCode_IsRejectedAtOpCodeOffset(int opCode)
    {
        var bytes = RawMessage.Start((OpCode)opCode).UInt32(0).Byte(0).Document(new BsonDocument("a", 1)).Build();

        Assert.Equal(12, Decoding.Rejects(bytes).Offset);
    }

    [Fact]
    public void Header_WriteThenRead_RoundTrips()
    {
        var header = new MessageHeader(1234, -7, 99, OpCode.Msg);
        var bytes = new byte[MessageHeader.Size];
        header.Write(bytes);

        Assert.Equal(header, MessageHeader.Read(bytes));
        Assert.Equal(new byte[] { 0xD2, 0x04, 0, 0, 0xF9, 0xFF, 0xFF, 0xFF, 99, 0, 0, 0, 0xDD, 0x07, 0, 0 }, bytes);
    }

    [Fact]
    public void Limits_RejectImpossibleValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WireLimits { MaxMessageSize = MessageHeader.Size - 1 });
        Assert.Throws<ArgumentNullException>(() => new WireLimits { Documents = null! });
        Assert.Equal(48_000_000, WireLimits.Default.MaxMessageSize);
    }
}
