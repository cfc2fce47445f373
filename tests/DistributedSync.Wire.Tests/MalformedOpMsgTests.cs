using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class MalformedOpMsgTests
{
    private static readonly BsonDocument Body = new() { { "insert", "c" }, { "$db", "d" } };

    public static TheoryData<int> RequiredUnknownBits => [.. Enumerable.Range(2, 14)];

    public static TheoryData<int> OptionalUnknownBits => [.. Enumerable.Range(17, 15)];

    public static TheoryData<int> UnknownKinds => [.. Enumerable.Range(2, 254)];

    [Theory]
    [MemberData(nameof(RequiredUnknownBits))]
    public void UnknownRequiredFlagBit_IsRejectedAtFlagOffset(int bit)
    {
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(1u << bit).Byte(0).Document(Body).Build();

        var e = Decoding.Rejects(bytes);
        Assert.Equal(16, e.Offset);
        Assert.Contains("required", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OptionalUnknownBits))]
    public void UnknownOptionalFlagBit_IsIgnoredAndPreserved(int bit)
    {
        var flags = (1u << bit) | (uint)OpMsgFlags.ExhaustAllowed;
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(flags).Byte(0).Document(Body).Build();

        var decoded = Assert.IsType<OpMsgMessage>(Decoding.Accepts(bytes));
        Assert.Equal(flags, (uint)decoded.Flags);
        Assert.True(decoded.ExhaustAllowed);
        Assert.False(decoded.MoreToCome);
        Assert.Equal(Body, decoded.Body);
        Assert.Equal(bytes, WireMessageCodec.ToBytes(decoded));
    }

    [Theory]
    [MemberData(nameof(RequiredUnknownBits))]
    public void UnknownRequiredFlagBit_CannotBeEncoded(int bit)
        => Assert.Throws<ArgumentException>(() => new OpMsgMessage(Body, null, (OpMsgFlags)(1u << bit)));

    [Theory]
    [MemberData(nameof(UnknownKinds))]
    public void UnknownSectionKind_IsRejectedAtItsOffset(int kind)
    {
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body);
        var kindOffset = raw.Position;
        var bytes = raw.Byte((byte)kind).Document(Body).Build();

        var e = Decoding.Rejects(bytes);
        Assert.Equal(kindOffset, e.Offset);
        Assert.Contains("kind", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoBodies_AreRejectedAtTheSecond()
    {
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body);
        var second = raw.Position;
        var bytes = raw.Byte(0).Document(Body).Build();

        Assert.Equal(second, Decoding.Rejects(bytes).Offset);
    }

    [Fact]
    public void NoBody_IsRejected()
    {
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(0).Sequence("documents", [Body]).Build();

        Assert.Contains("no body", Decoding.Rejects(bytes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BodyAfterSequences_IsAccepted()
    {
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(0)
            .Sequence("documents", [Samples.Person(1)])
            .Sequence("updates", [])
            .Byte(0).Document(Body)
            .Build();

        var decoded = Assert.IsType<OpMsgMessage>(Decoding.Accepts(bytes));
        Assert.Equal(Body, decoded.Body);
        Assert.Equal(["documents", "updates"], decoded.Sequences.Select(s => s.Identifier));
        Assert.Single(decoded.GetSequence("documents")!.Documents);
        Assert.Empty(decoded.GetSequence("updates")!.Documents);
        Assert.Null(decoded.GetSequence("deletes"));
    }

    [Fact]
    public void DuplicateSequenceIdentifiers_AreRejected()
    {
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body)
            .Sequence("documents", [Samples.Person(1)])
            .Sequence("documents", [Samples.Person(2)])
            .Build();

        Assert.Contains("documents", Decoding.Rejects(bytes).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-5)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public void SequenceSize_NotMatchingItsDocuments_IsRejected(int sizeAdjust)
    {
        // The sequence is not last, so a too-large size runs into the next section.
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(0)
            .Sequence("documents", [Samples.Person(1), Samples.Person(2)], sizeAdjust)
            .Byte(0).Document(Body)
            .Build();

        Decoding.Rejects(bytes);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(1000)]
    public void LastSequenceSize_NotMatchingItsDocuments_IsRejected(int sizeAdjust)
    {
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body)
            .Sequence("documents", [Samples.Person(1)], sizeAdjust)
            .Build();

        Decoding.Rejects(bytes);
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(int.MaxValue)]
    public void SequenceSize_Impossible_IsRejectedAtTheSizeField(int size)
    {
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body).Byte(1);
        var sizeOffset = raw.Position;
        var bytes = raw.Int32(size).CString("documents").Document(Samples.Person(1)).Build();

        Assert.Equal(sizeOffset, Decoding.Rejects(bytes).Offset);
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 5, 0, 0, 0, 1 })]
    public void SequenceWithJunkAfterItsDocuments_IsRejected(byte[] junk)
    {
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body).Byte(1);
        var sizeAt = raw.Position;
        raw.Int32(0).CString("documents").Document(Samples.Person(1)).Bytes(junk);
        var bytes = raw.PatchInt32(sizeAt, raw.Position - sizeAt).Build();

        Decoding.Rejects(bytes);
    }

    [Fact]
    public void SequenceIdentifier_WithoutTerminator_IsRejected()
    {
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body)
            .Byte(1).Int32(4 + 9).Bytes("documents"u8)
            .Build();

        Decoding.Rejects(bytes);
    }

    [Fact]
    public void SequenceIdentifier_InvalidUtf8_IsRejected()
    {
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body).Byte(1);
        var sizeAt = raw.Position;
        raw.Int32(0).Bytes([0x64, 0xC3, 0x28, 0x00]).Document(Samples.Person(1));
        var bytes = raw.PatchInt32(sizeAt, raw.Position - sizeAt).Build();

        Assert.Contains("UTF-8", Decoding.Rejects(bytes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidBsonInBody_IsWrappedWithOffsetTranslatedIntoTheMessage()
    {
        var doc = BsonCodec.ToBytes(new BsonDocument { { "a", 1 }, { "b", "x" } });
        doc[^1] = 0x01; // the terminating NUL is missing
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0);
        var bodyStart = raw.Position;
        var bytes = raw.Bytes(doc).Build();

        var e = Decoding.Rejects(bytes);
        var inner = Assert.IsType<BsonFormatException>(e.InnerException);
        Assert.Equal(bodyStart + inner.Offset, e.Offset);
        Assert.InRange(e.Offset, bodyStart, bytes.Length);
    }

    [Fact]
    public void InvalidBsonInSequenceDocument_IsWrappedWithOffsetTranslatedIntoTheMessage()
    {
        var doc = BsonCodec.ToBytes(new BsonDocument { { "a", 1 } });
        doc[4] = 0x77; // no such element type
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0).Document(Body).Byte(1);
        var sizeAt = raw.Position;
        raw.Int32(0).CString("documents").Document(Samples.Person(1));
        var docStart = raw.Position;
        raw.Bytes(doc);
        var bytes = raw.PatchInt32(sizeAt, raw.Position - sizeAt).Build();

        var e = Decoding.Rejects(bytes);
        var inner = Assert.IsType<BsonFormatException>(e.InnerException);
        Assert.Equal(docStart + inner.Offset, e.Offset);
        Assert.Equal(docStart + 4, e.Offset);
    }

    [Fact]
    public void DocumentAboveDocumentLimit_IsRejectedAtItsLengthField()
    {
        var big = new BsonDocument("s", new string('x', 1000));
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0);
        var bodyStart = raw.Position;
        var bytes = raw.Document(big).Build();
        var limits = new WireLimits { Documents = new BsonReaderOptions { MaxDocumentSize = 500 } };

        Assert.Equal(bodyStart, Decoding.Rejects(bytes, limits).Offset);
        Assert.IsType<OpMsgMessage>(Decoding.Accepts(bytes));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(4)]
    [InlineData(0)]
    public void BodyDeclaringImpossibleLength_IsRejectedAtItsLengthField(int declared)
    {
        var raw = RawMessage.Start(OpCode.Msg).UInt32(0).Byte(0);
        var bodyStart = raw.Position;
        var bytes = raw.Int32(declared).Bytes(new byte[20]).Build();

        Assert.Equal(bodyStart, Decoding.Rejects(bytes).Offset);
    }

    [Fact]
    public void Constructor_RejectsDuplicateSequenceIdentifiers()
        => Assert.Throws<ArgumentException>(() => new OpMsgMessage(Body, [new DocumentSequence("a", []), new DocumentSequence("a", [])]));

    [Fact]
    public void SequenceIdentifier_ThatCannotBeACString_IsRejectedOnConstruction()
    {
        // Built in code: theory data would not carry lone surrogates intact.
        string[] bad = ["a\0b", "\ud800", "x\udc00y", "\udbff\udbff", "end\ud83d"];
        foreach (var identifier in bad)
        {
            Assert.Throws<ArgumentException>(() => new DocumentSequence(identifier, []));
        }

        Assert.Equal("emoji 😀", new DocumentSequence("emoji 😀", []).Identifier);
    }
}
