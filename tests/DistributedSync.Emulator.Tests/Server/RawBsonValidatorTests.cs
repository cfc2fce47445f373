using System.Buffers.Binary;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Server;
using Xunit;

namespace DistributedSync.Emulator.Tests.Server;

/// <summary>
/// The validator must agree with the decoder on every input: accepting what the decoder refuses
/// would let the emulator store bytes it cannot read back.
/// </summary>
public sealed class RawBsonValidatorTests
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0F, 0x10, 0x13, 0x14, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF];
    private static readonly int[] InterestingLengths = [-1, 0, 1, 3, 4, 5, 6, 13, 14, 15, 0x7FFFFFFF];

    public static TheoryData<string, byte[]> Refused() => new()
    {
        { "a field name that is not UTF-8", Bytes(new BsonDocument("ab", 1), "ab\0"u8, [0xC3, 0x28, 0]) },
        { "an overlong field name", Bytes(new BsonDocument("ab", 1), "ab\0"u8, [0xC0, 0xAF, 0]) },
        { "an array element name that is not UTF-8", Bytes(new BsonDocument("a", new BsonArray { 1 }), [0x10, (byte)'0', 0], [0x10, 0xFF, 0]) },
        { "a surrogate in a string", Bytes(new BsonDocument("s", "abc"), "abc"u8, [0xED, 0xA0, 0x80]) },
        { "a regex option that is not UTF-8", Bytes(new BsonDocument("r", new BsonRegularExpression("p", "i")), "p\0i\0"u8, [(byte)'p', 0, 0xFE, 0]) },
        { "a boolean of 2", Bytes(new BsonDocument("b", true), [0x08, (byte)'b', 0, 1], [0x08, (byte)'b', 0, 2]) },
        { "an unknown type", Bytes(new BsonDocument("b", true), [0x08, (byte)'b', 0], [0x14, (byte)'b', 0]) },
        { "an old binary with a wrong inner length", Bytes(new BsonDocument("x", new BsonBinaryData([1, 2, 3], BsonBinarySubtype.BinaryOld)), [3, 0, 0, 0, 1], [4, 0, 0, 0, 1]) },
        { "a string without its terminator", Bytes(new BsonDocument { { "s", "abc" }, { "t", 1 } }, "abc\0"u8, "abcd"u8) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Documents_the_decoder_refuses_are_refused(string name, byte[] bytes)
    {
        Assert.False(DecoderAccepts(bytes, BsonReaderOptions.DefaultMaxDepth), name);
        Assert.False(RawBsonValidator.IsValid(bytes, BsonReaderOptions.DefaultMaxDepth), name);
    }

    [Fact]
    public void Every_kind_of_value_is_accepted_and_depth_follows_the_limit()
    {
        Assert.True(RawBsonValidator.IsValid(BsonCodec.ToBytes(Seed()), BsonReaderOptions.DefaultMaxDepth));
        var deep = BsonCodec.ToBytes(Nested(200));
        Assert.True(RawBsonValidator.IsValid(deep, 200));
        Assert.False(RawBsonValidator.IsValid(deep, 199));
        Assert.False(DecoderAccepts(deep, 199));
    }

    [Fact]
    public void The_validator_and_the_decoder_agree_on_mutated_documents()
    {
        var random = new Random(20261122);
        var seeds = new[] { BsonCodec.ToBytes(Seed()), BsonCodec.ToBytes(Nested(6)), BsonCodec.ToBytes(new BsonDocument()) };
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < 100_000; i++)
        {
            var bytes = Mutate(random, seeds[random.Next(seeds.Length)]);
            var maxDepth = random.Next(3) == 0 ? random.Next(1, 8) : BsonReaderOptions.DefaultMaxDepth;
            var expected = DecoderAccepts(bytes, maxDepth);
            Assert.True(expected == RawBsonValidator.IsValid(bytes, maxDepth), $"max depth {maxDepth}, decoder {(expected ? "accepts" : "refuses")}: {Convert.ToHexString(bytes)}");
            (accepted, refused) = expected ? (accepted + 1, refused) : (accepted, refused + 1);
        }

        // Both verdicts must be well represented for the agreement to mean something.
        Assert.True(accepted > 5_000 && refused > 5_000, $"accepted {accepted}, refused {refused}");
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        for (var rounds = random.Next(1, 4); rounds > 0 && bytes.Count > 0; rounds--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2 when at + 4 <= bytes.Count:
                    var length = InterestingLengths[random.Next(InterestingLengths.Length)];
                    var value = random.Next(2) == 0 ? length : BinaryPrimitives.ReadInt32LittleEndian([.. bytes.GetRange(at, 4)]) + random.Next(-2, 3);
                    bytes.RemoveRange(at, 4);
                    bytes.InsertRange(at, BitConverter.GetBytes(value));
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 4), bytes.Count - at));
                    break;
                default:
                    bytes.Insert(at, InterestingBytes[random.Next(InterestingBytes.Length)]);
                    break;
            }
        }

        var result = bytes.ToArray();
        if (result.Length >= 4 && random.Next(4) != 0)
        {
            // Mostly keep the top-level length right, so the walk reaches the inner values.
            BinaryPrimitives.WriteInt32LittleEndian(result, result.Length);
        }

        return result;
    }

    private static bool DecoderAccepts(byte[] bytes, int maxDepth)
    {
        try
        {
            BsonCodec.Decode(bytes, new BsonReaderOptions { MaxDepth = maxDepth });
            return true;
        }
        catch (BsonFormatException)
        {
            return false;
        }
    }

    private static BsonDocument Seed() => new()
    {
        { "_id", ObjectId.Parse("65a1b2c3d4e5f60718293a4b") }, { "d", 1.5 }, { "s", "héllo 💥" }, { "e", "" },
        { "doc", new BsonDocument { { "a", new BsonArray { 1, "x", new BsonDocument("z", BsonNull.Value), new BsonArray() } }, { "empty", new BsonDocument() } } },
        { "bin", new BsonBinaryData([1, 2, 3], BsonBinarySubtype.Generic) }, { "old", new BsonBinaryData([4, 5], BsonBinarySubtype.BinaryOld) },
        { "u", BsonUndefined.Value }, { "t", true }, { "f", false }, { "date", new BsonDateTime(1_700_000_000_000) }, { "n", BsonNull.Value },
        { "re", new BsonRegularExpression("^a.*", "im") }, { "ptr", new BsonDbPointer("db.c", ObjectId.Parse("65a1b2c3d4e5f60718293a4c")) },
        { "js", new BsonJavaScript("f()") }, { "sym", new BsonSymbol("s") }, { "cws", new BsonJavaScriptWithScope("g()", new BsonDocument("v", new BsonArray { 1 })) },
        { "i", 7 }, { "ts", new BsonTimestamp(1, 2) }, { "l", 8L }, { "dec", new BsonDecimal128(Decimal128.Parse("1.25")) },
        { "min", BsonMinKey.Value }, { "max", BsonMaxKey.Value },
    };

    // A document nested levels deep, documents and arrays alternating below the top level.
    private static BsonDocument Nested(int levels) => new("d", Level(levels - 1));

    private static BsonValue Level(int depth) => depth switch
    {
        <= 1 => new BsonDocument("leaf", 1),
        _ when depth % 2 == 0 => new BsonArray { Level(depth - 1) },
        _ => new BsonDocument("d", Level(depth - 1)),
    };

    // The encoding of document with one byte pattern replaced by another (lengths left as they were).
    private static byte[] Bytes(BsonDocument document, ReadOnlySpan<byte> find, ReadOnlySpan<byte> replace)
    {
        var bytes = BsonCodec.ToBytes(document);
        var at = bytes.AsSpan().IndexOf(find);
        Assert.True(at >= 0 && find.Length == replace.Length);
        replace.CopyTo(bytes.AsSpan(at));
        return bytes;
    }
}
