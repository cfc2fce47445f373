using System.Buffers.Binary;
using DistributedSync.Bson.IO;
using Xunit;

namespace DistributedSync.Bson.Tests.Codec;

public sealed class BsonDecoderTests
{
    [Fact]
    public void Decode_TheSpecificationExamples()
    {
        var hello = Convert.FromHexString("160000000268656C6C6F0006000000776F726C640000");
        var awesome = Convert.FromHexString("310000000442534F4E002600000002300008000000617765736F6D65000131003333333333331440103200C20700000000");

        Assert.Equal(new BsonDocument("hello", "world"), BsonCodec.Decode(hello));
        Assert.Equal(new BsonDocument("BSON", new BsonArray(["awesome", 5.05, 1986])), BsonCodec.Decode(awesome));
    }

    [Fact]
    public void Decode_EveryType_RoundTrips()
    {
        var document = BsonSamples.EveryType();
        var bytes = BsonCodec.ToBytes(document);

        var decoded = BsonCodec.Decode(bytes);

        Assert.Equal(document, decoded);
        Assert.Equal(bytes, BsonCodec.ToBytes(decoded));
    }

    [Fact]
    public void Decode_KeepsDuplicateNamesInOrder()
    {
        // {a: 1, b: 2, a: 3}
        var bytes = Convert.FromHexString("1A000000" + "106100" + "01000000" + "106200" + "02000000" + "106100" + "03000000" + "00");

        var document = BsonCodec.Decode(bytes);

        Assert.Equal(["a", "b", "a"], document.Names);
        Assert.Equal(1, document["a"].AsInt32);
        Assert.Equal(3, document[2].Value.AsInt32);
        Assert.Equal(bytes, BsonCodec.ToBytes(document));
    }

    [Fact]
    public void Decode_IgnoresArrayKeysAndReindexesOnEncode()
    {
        // {a: ["x" -> 1, "x" -> 2]}: keys are wrong but values are kept in order.
        var bytes = Convert.FromHexString("1B000000" + "046100" + "13000000" + "107800" + "01000000" + "107800" + "02000000" + "00" + "00");

        var document = BsonCodec.Decode(bytes);

        Assert.Equal(new BsonArray([1, 2]), document["a"]);
        Assert.Equal("1B0000000461001300000010300001000000103100020000000000", Convert.ToHexString(BsonCodec.ToBytes(document)));
    }

    [Fact]
    public void Decode_BinarySubtype2_StripsTheInnerLength()
    {
        var bytes = Convert.FromHexString("13000000057800060000000202000000FFFF00");

        var binary = (BsonBinaryData)BsonCodec.Decode(bytes)["x"];

        Assert.Equal(BsonBinarySubtype.BinaryOld, binary.Subtype);
        Assert.Equal(new byte[] { 0xFF, 0xFF }, binary.Bytes.ToArray());
    }

    [Fact]
    public void Decode_StringsMayHoldNul()
    {
        var document = new BsonDocument("s", "a\0b\0");

        Assert.Equal("a\0b\0", BsonCodec.Decode(BsonCodec.ToBytes(document))["s"].AsString);
    }

    [Theory]
    [InlineData("7F", "\u007F")]
    [InlineData("C280", "\u0080")]
    [InlineData("DFBF", "\u07FF")]
    [InlineData("E0A080", "\u0800")]
    [InlineData("ED9FBF", "\uD7FF")]
    [InlineData("EE8080", "\uE000")]
    [InlineData("EFBFBF", "\uFFFF")]
    [InlineData("F0908080", "\U00010000")]
    [InlineData("F48FBFBF", "\U0010FFFF")]
    [InlineData("EFBBBF", "\uFEFF")]
    public void Decode_AcceptsBoundaryScalars(string utf8Hex, string expected)
    {
        var bytes = StringDocument(Convert.FromHexString(utf8Hex));

        Assert.Equal(expected, BsonCodec.Decode(bytes)["s"].AsString);
        Assert.Equal(expected, BsonCodec.Decode(KeyDocument(Convert.FromHexString(utf8Hex))).Names.Single());
    }

    public static TheoryData<string, int> InvalidUtf8 => new()
    {
        { "80", 0 },               // lone continuation byte
        { "BF", 0 },
        { "C0", 0 },               // truncated two-byte lead, never valid anyway
        { "C080", 0 },             // overlong NUL
        { "C1BF", 0 },             // overlong U+007F
        { "E08080", 0 },           // overlong three-byte
        { "E09FBF", 0 },           // overlong U+07FF
        { "EDA080", 0 },           // surrogate U+D800
        { "EDBFBF", 0 },           // surrogate U+DFFF
        { "EDA0BDEDB883", 0 },     // CESU-8 surrogate pair
        { "F08FBFBF", 0 },         // overlong four-byte
        { "F4908080", 0 },         // above U+10FFFF
        { "F5808080", 0 },
        { "FF", 0 },
        { "FE", 0 },
        { "61E282", 1 },           // truncated three-byte sequence after 'a'
        { "6162E2826163", 2 },     // truncated sequence in the middle
        { "61C3", 1 },
        { "6162F09F98", 2 },       // truncated four-byte sequence at the end
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Decode_RejectsInvalidUtf8InStringValues(string utf8Hex, int badIndex)
    {
        var bytes = StringDocument(Convert.FromHexString(utf8Hex));

        var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(bytes));

        Assert.Equal(4 + 1 + 2 + 4 + badIndex, e.Offset);
        Assert.Contains("UTF-8", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Decode_RejectsInvalidUtf8InFieldNames(string utf8Hex, int badIndex)
    {
        var bytes = KeyDocument(Convert.FromHexString(utf8Hex));

        var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(bytes));

        Assert.Equal(4 + 1 + badIndex, e.Offset);
        Assert.Contains("UTF-8", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Decode_RejectsInvalidUtf8InArrayKeysRegexesAndSymbols(string utf8Hex, int badIndex)
    {
        var bad = Convert.FromHexString(utf8Hex);
        _ = badIndex;

        // Array element key.
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Wrap(0x04, [.. Int32Bytes(bad.Length + 7), 0x0A, .. bad, 0x00, 0x00])));

        // Regex pattern and options.
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Wrap(0x0B, [.. bad, 0x00, 0x00])));
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Wrap(0x0B, [0x61, 0x00, .. bad, 0x00])));

        // Symbol, JavaScript and DBPointer namespace.
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Wrap(0x0E, [.. Int32Bytes(bad.Length + 1), .. bad, 0x00])));
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Wrap(0x0D, [.. Int32Bytes(bad.Length + 1), .. bad, 0x00])));
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Wrap(0x0C, [.. Int32Bytes(bad.Length + 1), .. bad, 0x00, .. new byte[12]])));
    }

    [Fact]
    public void Decode_RejectsEveryUnknownTypeAtItsOffset()
    {
        for (var type = 0x14; type <= 0xFE; type++)
        {
            if (type == 0x7F)
            {
                continue;
            }

            var bytes = Wrap((byte)type, [0x00, 0x00, 0x00, 0x00]);
            var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(bytes));
            Assert.Equal(4, e.Offset);
            Assert.Contains($"0x{type:X2}", e.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void Decode_RejectsBooleansOtherThanZeroOrOne(byte value)
    {
        var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Wrap(0x08, [value])));

        Assert.Equal(8, e.Offset);
    }

    [Fact]
    public void Decode_RejectsTrailingBytes()
    {
        var bytes = (byte[])[.. BsonCodec.ToBytes(new BsonDocument("a", 1)), 0x00];

        var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(bytes));

        Assert.Equal(12, e.Offset);
        Assert.Contains("trailing", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("05")]
    [InlineData("0500")]
    [InlineData("050000")]
    public void Decode_RejectsInputShorterThanTheLengthField(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(bytes));

        Assert.Equal(bytes.Length, e.Offset);
    }

    [Fact]
    public void Decode_EnforcesTheSizeLimitBeforeReadingTheBody()
    {
        var options = new BsonReaderOptions { MaxDocumentSize = 16 };
        var small = BsonCodec.ToBytes(new BsonDocument("a", 1));
        var large = BsonCodec.ToBytes(new BsonDocument("a", "0123456789"));

        Assert.Equal(new BsonDocument("a", 1), BsonCodec.Decode(small, options));
        var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(large, options));
        Assert.Equal(0, e.Offset);
        Assert.Contains("limit", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_DefaultSizeLimitIsSixteenMebibytesPlusSixteenKibibytes()
    {
        Assert.Equal((16 * 1024 * 1024) + (16 * 1024), BsonReaderOptions.Default.MaxDocumentSize);
        var header = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, BsonReaderOptions.Default.MaxDocumentSize + 1);

        var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(header));

        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void Decode_AcceptsADocumentOfExactlyTheDefaultLimit()
    {
        var limit = BsonReaderOptions.Default.MaxDocumentSize;
        var payload = limit - 4 - 1 - 2 - 4 - 1 - 1;
        var document = new BsonDocument("b", new BsonBinaryData(new byte[payload]));
        var bytes = BsonCodec.ToBytes(document);
        Assert.Equal(limit, bytes.Length);

        Assert.Equal(payload, ((BsonBinaryData)BsonCodec.Decode(bytes)["b"]).Bytes.Length);
    }

    [Fact]
    public void Options_RejectOutOfRangeLimits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BsonReaderOptions { MaxDocumentSize = 4 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BsonReaderOptions { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BsonReaderOptions { MaxDepth = BsonReaderOptions.DepthCeiling + 1 });
        Assert.Equal(200, BsonReaderOptions.Default.MaxDepth);
        Assert.Equal(100, BsonReaderOptions.MaxStoredDocumentDepth);
    }

    [Fact]
    public void TryReadDocumentLength_ReadsTheDeclaredLengthOnceFourBytesArePresent()
    {
        Assert.False(BsonCodec.TryReadDocumentLength([0x10, 0x00, 0x00], out _));
        Assert.True(BsonCodec.TryReadDocumentLength([0x10, 0x00, 0x00, 0x00, 0xAA], out var length));
        Assert.Equal(16, length);
        Assert.True(BsonCodec.TryReadDocumentLength([0xFF, 0xFF, 0xFF, 0xFF], out length));
        Assert.Equal(-1, length);
        Assert.False(BsonCodec.IsPlausibleDocumentLength(length));
        Assert.False(BsonCodec.IsPlausibleDocumentLength(4));
        Assert.True(BsonCodec.IsPlausibleDocumentLength(5));
        Assert.False(BsonCodec.IsPlausibleDocumentLength(BsonReaderOptions.DefaultMaxDocumentSize + 1));
    }

    [Fact]
    public void Decode_Sequence_MatchesSpanDecodingForEverySegmentSize()
    {
        var bytes = BsonCodec.ToBytes(BsonSamples.EveryType());

        foreach (var size in new[] { 1, 2, 3, 5, 7, 64, bytes.Length - 1, bytes.Length })
        {
            Assert.Equal(BsonSamples.EveryType(), BsonCodec.Decode(Segments.Split(bytes, size)));
        }
    }

    [Fact]
    public void Decode_Sequence_ReportsTruncationAndTrailingBytes()
    {
        var bytes = BsonCodec.ToBytes(new BsonDocument("a", 1));

        var truncated = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Segments.Split(bytes[..^1], 3)));
        var trailing = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Segments.Split([.. bytes, 0x01, 0x02], 3)));
        var tiny = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Segments.Split([0x05, 0x00], 1)));

        Assert.Equal(bytes.Length - 1, truncated.Offset);
        Assert.Equal(bytes.Length, trailing.Offset);
        Assert.Equal(2, tiny.Offset);
    }

    /// <summary>{"s": &lt;string with the given UTF-8 content&gt;}.</summary>
    internal static byte[] StringDocument(byte[] utf8) => Wrap(0x02, [.. Int32Bytes(utf8.Length + 1), .. utf8, 0x00], "s"u8.ToArray());

    /// <summary>{&lt;key with the given UTF-8 bytes&gt;: null}.</summary>
    internal static byte[] KeyDocument(byte[] key) => Wrap(0x0A, [], key);

    /// <summary>A top-level document holding one element of <paramref name="type"/> named "ab" (or <paramref name="name"/>) whose value bytes are <paramref name="value"/>.</summary>
    internal static byte[] Wrap(byte type, byte[] value, byte[]? name = null)
    {
        name ??= "ab"u8.ToArray();
        var length = 4 + 1 + name.Length + 1 + value.Length + 1;
        return [.. Int32Bytes(length), type, .. name, 0x00, .. value, 0x00];
    }

    internal static byte[] Int32Bytes(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }
}
