using DistributedSync.Bson.IO;
using Xunit;

namespace DistributedSync.Bson.Tests.Codec;

public sealed class BsonBinaryWriterTests
{
    [Fact]
    public void Writer_BuildsTheSameBytesAsTheEncoder_ForEveryType()
    {
        var oid = ObjectId.Parse("0123456789abcdef01234567");
        var decimalValue = new Decimal128(0x3040000000000000UL, 12345);
        using var w = new BsonBinaryWriter();

        w.WriteStartDocument();
        w.WriteName("double"); w.WriteDouble(1.5);
        w.WriteName("string"); w.WriteString("héllo ☆ 𝄞");
        w.WriteStartDocument("document");
        w.WriteName("inner"); w.WriteInt32(7);
        w.WriteStartDocument("deeper");
        w.WriteName("z"); w.WriteNull();
        w.WriteEndDocument();
        w.WriteEndDocument();
        w.WriteStartArray("array");
        w.WriteInt32(1);
        w.WriteString("two");
        w.WriteStartDocument();
        w.WriteName("three"); w.WriteInt32(3);
        w.WriteEndDocument();
        w.WriteStartArray();
        w.WriteInt64(4);
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteName("binary"); w.WriteBinary([0xAA, 0xBB, 0xCC]);
        w.WriteName("binaryOld"); w.WriteBinary([0xAA, 0xBB], BsonBinarySubtype.BinaryOld);
        w.WriteName("undefined"); w.WriteUndefined();
        w.WriteName("objectId"); w.WriteObjectId(oid);
        w.WriteName("true"); w.WriteBoolean(true);
        w.WriteName("false"); w.WriteBoolean(false);
        w.WriteName("datetime"); w.WriteDateTime(1_234_567_890_123);
        w.WriteName("null"); w.WriteNull();
        w.WriteName("regex"); w.WriteRegularExpression("^a.*b$", "mi");
        w.WriteName("dbpointer"); w.WriteDbPointer("db.coll", oid);
        w.WriteName("code"); w.WriteJavaScript("function () { return 1; }");
        w.WriteName("symbol"); w.WriteSymbol("sym");
        w.WriteName("codeWithScope"); w.WriteJavaScriptWithScope("x + y", new BsonDocument("x", 1).Add("y", "why"));
        w.WriteName("int32"); w.WriteInt32(-42);
        w.WriteName("timestamp"); w.WriteTimestamp(new BsonTimestamp(1_700_000_000, 9).Value);
        w.WriteName("int64"); w.WriteInt64(1L << 40);
        w.WriteName("decimal"); w.WriteDecimal128(decimalValue);
        w.WriteName("minKey"); w.WriteMinKey();
        w.WriteName("maxKey"); w.WriteMaxKey();
        w.WriteEndDocument();

        Assert.Equal(0, w.Depth);
        Assert.Equal(BsonCodec.ToBytes(BsonSamples.EveryType()), w.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writer_WritesDocumentSequences()
    {
        using var w = new BsonBinaryWriter();

        w.WriteStartDocument();
        w.WriteName("a"); w.WriteInt32(1);
        w.WriteEndDocument();
        w.WriteValue(new BsonDocument("b", 2));
        w.WriteRawDocument(BsonCodec.ToBytes(new BsonDocument("c", 3)));

        byte[] expected =
        [
            .. BsonCodec.ToBytes(new BsonDocument("a", 1)),
            .. BsonCodec.ToBytes(new BsonDocument("b", 2)),
            .. BsonCodec.ToBytes(new BsonDocument("c", 3)),
        ];
        Assert.Equal(expected, w.WrittenMemory.ToArray());
    }

    [Fact]
    public void Writer_EmbedsValuesAndRawDocuments()
    {
        var nested = new BsonDocument("x", new BsonArray([1, 2]));
        using var w = new BsonBinaryWriter();

        w.WriteStartDocument();
        w.WriteElement("value", nested);
        w.WriteName("raw");
        w.WriteRawDocument(BsonCodec.ToBytes(nested));
        w.WriteStartArray("list");
        w.WriteValue(nested);
        w.WriteRawDocument(BsonCodec.ToBytes(nested));
        w.WriteValue(new BsonArray(["s"]));
        w.WriteEndArray();
        w.WriteEndDocument();

        var expected = new BsonDocument("value", nested).Add("raw", nested).Add("list", new BsonArray([nested, nested, new BsonArray(["s"])]));
        Assert.Equal(BsonCodec.ToBytes(expected), w.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writer_AppendsToAGivenBufferWithoutDisposingIt()
    {
        using var buffer = new PooledBufferWriter();
        buffer.Write([1, 2, 3]);

        using (var w = new BsonBinaryWriter(buffer))
        {
            w.WriteValue(new BsonDocument("a", 1));
        }

        Assert.Equal([1, 2, 3, .. BsonCodec.ToBytes(new BsonDocument("a", 1))], buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writer_RejectsCallsOutOfOrder()
    {
        using var w = new BsonBinaryWriter();

        Assert.Throws<InvalidOperationException>(() => w.WriteInt32(1));
        Assert.Throws<InvalidOperationException>(() => w.WriteName("a"));
        Assert.Throws<InvalidOperationException>(() => w.WriteEndDocument());
        Assert.Throws<InvalidOperationException>(() => w.WriteValue(BsonNull.Value));

        w.WriteStartDocument();
        Assert.Throws<InvalidOperationException>(() => w.WriteInt32(1));
        w.WriteName("a");
        Assert.Throws<InvalidOperationException>(() => w.WriteName("b"));
        Assert.Throws<InvalidOperationException>(() => w.WriteEndDocument());
        w.WriteStartArray();
        Assert.Throws<InvalidOperationException>(() => w.WriteName("x"));
        Assert.Throws<InvalidOperationException>(() => w.WriteEndDocument());
        w.WriteEndArray();
        Assert.Throws<InvalidOperationException>(() => w.WriteEndArray());
        w.WriteEndDocument();

        Assert.Equal(new BsonDocument("a", new BsonArray()), BsonCodec.Decode(w.WrittenSpan));
    }

    [Fact]
    public void Writer_RejectsUnencodableInputBeforeWritingAnything()
    {
        using var w = new BsonBinaryWriter();
        w.WriteStartDocument();
        var before = w.WrittenSpan.Length;

        Assert.Throws<ArgumentException>(() => w.WriteName("a\0"));
        Assert.Throws<ArgumentException>(() => w.WriteName("\uD800"));
        w.WriteName("r");
        Assert.Throws<ArgumentException>(() => w.WriteRegularExpression("a\0", ""));
        Assert.Throws<ArgumentException>(() => w.WriteString("\uDC00"));
        var e = Assert.Throws<ArgumentException>(() => w.WriteValue(new BsonDocument("ok", 1).Add("bad\0", 2)));
        Assert.Contains("'bad\0'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => w.WriteRawDocument([5, 0, 0, 0, 1]));
        Assert.Throws<ArgumentException>(() => w.WriteRawDocument([6, 0, 0, 0, 0]));
        Assert.Equal(before, w.WrittenSpan.Length);

        // The pending name survived the failures.
        w.WriteString("fine");
        w.WriteEndDocument();
        Assert.Equal(new BsonDocument("r", "fine"), BsonCodec.Decode(w.WrittenSpan));
    }

    [Fact]
    public void Writer_ResetStartsOver()
    {
        using var w = new BsonBinaryWriter();
        w.WriteStartDocument();
        w.WriteName("a");

        w.Reset();
        w.WriteValue(new BsonDocument("b", 1));

        Assert.Equal(BsonCodec.ToBytes(new BsonDocument("b", 1)), w.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writer_LongNamesAndStringsAreWrittenWhole()
    {
        var name = string.Concat(Enumerable.Repeat("ключ☆", 500));
        var text = string.Concat(Enumerable.Repeat("𝄞x", 50_000));
        using var w = new BsonBinaryWriter();

        w.WriteStartDocument();
        w.WriteName(name);
        w.WriteString(text);
        w.WriteEndDocument();

        Assert.Equal(BsonCodec.ToBytes(new BsonDocument(name, text)), w.WrittenSpan.ToArray());
    }
}
