using System.Buffers;
using DistributedSync.Bson;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class RoundTripTests
{
    public static TheoryData<string> Names => Samples.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void EncodeThenDecode_FromSpan_ReproducesMessage(string name)
    {
        var message = Samples.All[name]();
        var bytes = WireMessageCodec.ToBytes(message);

        MessageAssert.Equivalent(message, WireMessageCodec.Decode(bytes));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EncodeThenDecode_FromMultiSegmentSequence_ReproducesMessage(string name)
    {
        var message = Samples.All[name]();
        var bytes = WireMessageCodec.ToBytes(message);

        MessageAssert.Equivalent(message, WireMessageCodec.Decode(Segments.Split(bytes, 3, 17, bytes.Length / 2)));
        MessageAssert.Equivalent(message, WireMessageCodec.Decode(Segments.ByteByByte(bytes)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Encode_WritesLengthFieldEqualToByteCount_AndReturnsIt(string name)
    {
        var writer = new ArrayBufferWriter<byte>();
        var written = WireMessageCodec.Encode(Samples.All[name](), writer);

        var header = MessageHeader.Read(writer.WrittenSpan);
        Assert.Equal(writer.WrittenCount, written);
        Assert.Equal(writer.WrittenCount, header.MessageLength);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Encode_AppendsToExistingContent(string name)
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write(new byte[] { 0xAA, 0xBB });
        WireMessageCodec.Encode(Samples.All[name](), writer);

        Assert.Equal(new byte[] { 0xAA, 0xBB }, writer.WrittenSpan[..2].ToArray());
        Assert.Equal(WireMessageCodec.ToBytes(Samples.All[name]()), writer.WrittenSpan[2..].ToArray());
    }

    [Fact]
    public void OpMsg_Encoding_MatchesLiteralBytes()
    {
        // header(26, 42, 0, 2013), flagBits 0, kind 0, the empty document.
        byte[] expected = [26, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 0xDD, 0x07, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0];
        Assert.Equal(expected, WireMessageCodec.ToBytes(new OpMsgMessage(new BsonDocument()) { RequestId = 42 }));
        var decoded = Assert.IsType<OpMsgMessage>(WireMessageCodec.Decode(expected));
        Assert.Equal(0, decoded.Body.Count);
        Assert.Empty(decoded.Sequences);
    }

    [Fact]
    public void OpMsg_WithChecksum_MatchesLiteralBytes()
    {
        // {a: 1} with checksumPresent; the CRC-32C was computed outside this code base.
        var expected = Convert.FromHexString("250000002a00000000000000dd07000001000000000c0000001061000100000000645c8046");
        var message = new OpMsgMessage(new BsonDocument("a", 1), null, OpMsgFlags.ChecksumPresent) { RequestId = 42 };

        Assert.Equal(expected, WireMessageCodec.ToBytes(message));
        Assert.Equal(1, Assert.IsType<OpMsgMessage>(WireMessageCodec.Decode(expected)).Body["a"].AsInt32);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Encoding_MatchesIndependentlyBuiltLayout(string name)
    {
        var message = Samples.All[name]();
        var raw = RawMessage.Start(message.OpCode, message.RequestId, message.ResponseTo);
        byte[] expected;
        switch (message)
        {
            case OpMsgMessage m:
                raw.UInt32((uint)m.Flags).Byte(0).Document(m.Body);
                foreach (var s in m.Sequences)
                {
                    raw.Sequence(s.Identifier, s.Documents);
                }

                expected = m.ChecksumPresent ? raw.BuildWithChecksum() : raw.Build();
                break;
            case OpQueryMessage q:
                raw.Int32((int)q.Flags).CString(q.FullCollectionName).Int32(q.NumberToSkip).Int32(q.NumberToReturn).Document(q.Query);
                if (q.ReturnFieldsSelector is not null)
                {
                    raw.Document(q.ReturnFieldsSelector);
                }

                expected = raw.Build();
                break;
            default:
                var r = (OpReplyMessage)message;
                raw.Int32((int)r.ResponseFlags).Int64(r.CursorId).Int32(r.StartingFrom).Int32(r.Documents.Count);
                foreach (var d in r.Documents)
                {
                    raw.Document(d);
                }

                expected = raw.Build();
                break;
        }

        Assert.Equal(expected, WireMessageCodec.ToBytes(message));
    }

    [Theory]
    [InlineData(OpMsgFlags.None)]
    [InlineData(OpMsgFlags.MoreToCome)]
    [InlineData(OpMsgFlags.ExhaustAllowed)]
    [InlineData(OpMsgFlags.MoreToCome | OpMsgFlags.ExhaustAllowed)]
    [InlineData(OpMsgFlags.MoreToCome | OpMsgFlags.ExhaustAllowed | OpMsgFlags.ChecksumPresent)]
    public void OpMsgFlags_RoundTrip_AndAreReportedByTheirProperties(OpMsgFlags flags)
    {
        var bytes = WireMessageCodec.ToBytes(new OpMsgMessage(new BsonDocument("x", 1), null, flags));
        var decoded = Assert.IsType<OpMsgMessage>(WireMessageCodec.Decode(bytes));

        Assert.Equal((uint)flags, BitConverter.ToUInt32(bytes, 16));
        Assert.Equal(flags, decoded.Flags);
        Assert.Equal(flags.HasFlag(OpMsgFlags.MoreToCome), decoded.MoreToCome);
        Assert.Equal(flags.HasFlag(OpMsgFlags.ExhaustAllowed), decoded.ExhaustAllowed);
        Assert.Equal(flags.HasFlag(OpMsgFlags.ChecksumPresent), decoded.ChecksumPresent);
    }

    [Fact]
    public void OpReply_NumberReturnedIsWrittenFromDocumentCount()
    {
        var bytes = WireMessageCodec.ToBytes(Samples.All["reply-many"]());
        Assert.Equal(3, BitConverter.ToInt32(bytes, 32));
    }

    [Fact]
    public void OpQuery_SplitsNamespaceIntoDatabaseAndCollection()
    {
        var q = new OpQueryMessage("admin.$cmd", new BsonDocument());
        Assert.Equal("admin", q.DatabaseName);
        Assert.Equal("$cmd", q.CollectionName);
        var dotted = new OpQueryMessage("db.a.b", new BsonDocument());
        Assert.Equal("db", dotted.DatabaseName);
        Assert.Equal("a.b", dotted.CollectionName);
    }

    [Fact]
    public void Replies_AnswerTheirRequest()
    {
        var request = new OpQueryMessage("admin.$cmd", new BsonDocument("hello", 1)) { RequestId = 77 };
        var reply = OpReplyMessage.CreateReply(request, new BsonDocument("ok", 1.0));
        var msgReply = OpMsgMessage.CreateReply(request, new BsonDocument("ok", 1.0), OpMsgFlags.MoreToCome);

        Assert.Equal(77, reply.ResponseTo);
        Assert.Equal(77, msgReply.ResponseTo);
        Assert.True(msgReply.MoreToCome);
        Assert.True(reply.RequestId > 0);
        Assert.NotEqual(reply.RequestId, msgReply.RequestId);
        MessageAssert.Equivalent(reply, WireMessageCodec.Decode(WireMessageCodec.ToBytes(reply)));
    }
}
