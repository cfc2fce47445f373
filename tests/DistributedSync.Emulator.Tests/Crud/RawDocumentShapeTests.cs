using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Commands.Crud;
using Xunit;

namespace DistributedSync.Emulator.Tests.Crud;

public sealed class RawDocumentShapeTests
{
    public static TheoryData<string, BsonDocument, int> Shapes() => new()
    {
        { "empty", new BsonDocument(), 1 },
        { "scalars of every kind", Scalars(), 1 },
        { "an empty sub-document and array add no level", new BsonDocument { { "d", new BsonDocument() }, { "a", new BsonArray() } }, 1 },
        { "a sub-document", new BsonDocument("d", new BsonDocument("x", 1)), 2 },
        { "an array of documents", new BsonDocument("a", new BsonArray { 1, new BsonDocument("x", new BsonArray { 2 }) }), 4 },
        { "the deepest branch counts", new BsonDocument { { "a", new BsonDocument("b", 1) }, { "c", new BsonArray { new BsonArray { new BsonArray { 1 } } } } }, 4 },
        { "an array of eleven elements", new BsonDocument("a", new BsonArray(Enumerable.Range(0, 11).Select(i => (BsonValue)i))), 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_depth_of_canonical_bytes_is_measured(string name, BsonDocument document, int depth)
    {
        var shape = RawDocumentShape.Read(BsonCodec.ToBytes(document));

        Assert.True(shape.Canonical, name);
        Assert.Equal(depth, shape.Depth);
    }

    [Fact]
    public void Top_level_ids_and_empty_timestamps_are_found()
    {
        var first = RawDocumentShape.Read(BsonCodec.ToBytes(new BsonDocument { { "_id", 5 }, { "ts", new BsonTimestamp(1, 0) }, { "d", new BsonDocument("_id", 1) } }));
        var later = RawDocumentShape.Read(BsonCodec.ToBytes(new BsonDocument { { "a", 1 }, { "_id", "x" }, { "ts", new BsonTimestamp(0, 0) } }));
        var none = RawDocumentShape.Read(BsonCodec.ToBytes(new BsonDocument("d", new BsonDocument { { "_id", 1 }, { "t", new BsonTimestamp(0, 0) } })));

        Assert.Equal((1, true, 4, 4 + 1 + 4 + 4, false), (first.IdCount, first.IdFirst, first.IdElement, first.IdEnd, first.ZeroTimestamp));
        Assert.Equal((1, false, 11, true), (later.IdCount, later.IdFirst, later.IdElement, later.ZeroTimestamp));
        Assert.Equal((0, false, false), (none.IdCount, none.IdFirst, none.ZeroTimestamp));
    }

    [Theory]
    [InlineData("1", "0")]
    [InlineData("1", "01")]
    [InlineData("1", "x")]
    public void Array_element_names_other_than_the_index_are_not_canonical(string original, string replacement)
    {
        var bytes = BsonCodec.ToBytes(new BsonDocument { { "_id", 1 }, { "a", new BsonDocument("b", new BsonArray { "p", "q" }) } });
        var patched = Patch(bytes, [0x02, (byte)original[0], 0], [0x02, .. System.Text.Encoding.ASCII.GetBytes(replacement), 0], "a", "b");

        Assert.NotEqual(BsonCodec.ToBytes(BsonCodec.Decode(patched)), patched);
        Assert.False(RawDocumentShape.Read(patched).Canonical);
    }

    [Theory]
    [InlineData("im", true)]
    [InlineData("mi", false)]
    [InlineData("ii", true)]
    [InlineData("\u00e9i", false)]
    public void Regex_options_are_canonical_only_when_sorted_ascii(string options, bool canonical)
    {
        var bytes = BsonCodec.ToBytes(new BsonDocument("r", new BsonDocument("x", new BsonRegularExpression("p", "ab"))));
        var patched = Patch(bytes, "p\0ab\0"u8.ToArray(), [(byte)'p', 0, .. System.Text.Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Unescape(options)), 0], "r");

        Assert.Equal(canonical, RawDocumentShape.Read(patched).Canonical);
        Assert.Equal(canonical, BsonCodec.ToBytes(BsonCodec.Decode(patched)).AsSpan().SequenceEqual(patched));
    }

    [Fact]
    public void Code_with_scope_is_left_to_the_decoded_path()
        => Assert.False(RawDocumentShape.Read(BsonCodec.ToBytes(new BsonDocument("c", new BsonJavaScriptWithScope("f()", [])))).Canonical);

    private static BsonDocument Scalars() => new()
    {
        { "double", 1.5 }, { "string", "s" }, { "binary", new BsonBinaryData([1, 2], BsonBinarySubtype.BinaryOld) }, { "undefined", BsonUndefined.Value },
        { "oid", ObjectId.GenerateNewId() }, { "bool", true }, { "date", new BsonDateTime(1) }, { "null", BsonNull.Value },
        { "regex", new BsonRegularExpression("a.b", "i") }, { "dbpointer", new BsonDbPointer("db.c", ObjectId.GenerateNewId()) },
        { "js", new BsonJavaScript("x") }, { "symbol", new BsonSymbol("y") }, { "int", 1 }, { "ts", new BsonTimestamp(1, 2) },
        { "long", 2L }, { "decimal", new BsonDecimal128(Decimal128.Parse("1.5")) }, { "min", BsonMinKey.Value }, { "max", BsonMaxKey.Value },
    };

    // The bytes with a length-changing patch applied and the lengths of the top-level document
    // and of the enclosing containers (named, each a single letter) fixed up.
    private static byte[] Patch(byte[] bytes, byte[] find, byte[] replace, params string[] containers)
    {
        var at = bytes.AsSpan().LastIndexOf(find);
        byte[] patched = [.. bytes[..at], .. replace, .. bytes[(at + find.Length)..]];
        var delta = replace.Length - find.Length;
        var starts = containers.Select(c => bytes.AsSpan().IndexOf([(byte)c[0], (byte)0]) + 2).Prepend(0);
        foreach (var start in starts)
        {
            var length = BitConverter.ToInt32(patched, start);
            BitConverter.TryWriteBytes(patched.AsSpan(start), length + delta);
        }

        Assert.Equal(BsonCodec.Decode(bytes).Names, BsonCodec.Decode(patched).Names);
        return patched;
    }
}
