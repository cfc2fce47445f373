using System.Buffers.Binary;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>A section of a seed OP_MSG: where its kind byte is and how long it is (kind byte included).</summary>
internal readonly record struct SectionSpan(int KindOffset, byte Kind, int Length);

/// <summary>A valid message the mutator starts from, with the offsets of its parts.</summary>
internal sealed class SeedMessage
{
    public SeedMessage(string name, byte[] bytes)
    {
        Name = name;
        Bytes = bytes;
        OpCode = (OpCode)BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        switch (OpCode)
        {
            case OpCode.Msg:
                var flags = (OpMsgFlags)BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
                var end = bytes.Length - ((flags & OpMsgFlags.ChecksumPresent) != 0 ? 4 : 0);
                var position = 20;
                while (position < end)
                {
                    var kind = bytes[position];
                    int length;
                    if (kind == 0)
                    {
                        length = 1 + (Layout.AddDocument(bytes, position + 1) - (position + 1));
                    }
                    else
                    {
                        length = 1 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position + 1));
                        var documents = Array.IndexOf(bytes, (byte)0, position + 5) + 1;
                        while (documents < position + length)
                        {
                            documents = Layout.AddDocument(bytes, documents);
                        }
                    }

                    Sections.Add(new SectionSpan(position, kind, length));
                    position += length;
                }

                break;
            case OpCode.Query:
                var query = Array.IndexOf(bytes, (byte)0, 20) + 1 + 8;
                var next = Layout.AddDocument(bytes, query);
                if (next < bytes.Length)
                {
                    Layout.AddDocument(bytes, next);
                }

                break;
            default:
                // OP_INSERT: flags, the namespace, then documents.
                var document = Array.IndexOf(bytes, (byte)0, 20) + 1;
                while (document < bytes.Length)
                {
                    document = Layout.AddDocument(bytes, document);
                }

                break;
        }
    }

    public string Name { get; }

    public byte[] Bytes { get; }

    public OpCode OpCode { get; }

    public List<SectionSpan> Sections { get; } = [];

    public BsonLayout Layout { get; } = new();
}

/// <summary>
/// The valid messages the fuzzer mutates: hello, ping, insert (body and kind-1 sequence),
/// find, update, delete, aggregate, getMore and friends, a checksummed message, the legacy
/// OP_QUERY handshake and a legacy OP_INSERT. Every command targets the database
/// <see cref="Database"/> (hello and ping also <c>admin</c>); the protected data lives elsewhere.
/// </summary>
internal static class FuzzCorpus
{
    public const string Database = "fuzz";

    private static int _seedIds;

    public static IReadOnlyList<SeedMessage> Seeds { get; } = Build();

    /// <summary>A handful of documents holding every BSON type.</summary>
    public static BsonDocument[] SampleDocuments(int first) =>
    [
        new()
        {
            { "_id", first },
            { "a", 1 },
            { "s", "xyz" },
            { "d", 2.5 },
            { "l", 1L << 40 },
            { "b", true },
            { "n", BsonNull.Value },
            { "arr", new BsonArray([1, "two", new BsonDocument("three", 3)]) },
            { "sub", new BsonDocument { { "x", 1 }, { "y", new BsonDocument("z", "deep") } } },
        },
        new()
        {
            { "_id", new BsonObjectId(ObjectId.Parse("65f0c0ffee00000000000001")) },
            { "a", -7 },
            { "bin", new BsonBinaryData([1, 2, 3, 4], BsonBinarySubtype.Generic) },
            { "uuid", BsonBinaryData.FromGuid(new Guid("0f8fad5b-d9cb-469f-a165-70867728950e")) },
            { "when", new BsonDateTime(1_700_000_000_000) },
            { "ts", new BsonTimestamp(1_700_000_000, 7) },
            { "dec", new BsonDecimal128(Decimal128.Parse("12345.6789")) },
            { "re", new BsonRegularExpression("^ab+c$", "i") },
        },
        new()
        {
            { "_id", "string-id-" + first },
            { "min", BsonMinKey.Value },
            { "max", BsonMaxKey.Value },
            { "js", new BsonJavaScript("function() { return 1; }") },
            { "sym", new BsonSymbol("sym") },
            { "undef", BsonUndefined.Value },
            { "utf8", "héllo wörld ✓" },
        },
    ];

    private static List<SeedMessage> Build()
    {
        var seeds = new List<SeedMessage>
        {
            Msg("hello-admin", "admin", new BsonDocument { { "hello", 1 } }),
            Msg("hello-metadata", Database, new BsonDocument
            {
                { "hello", 1 },
                { "helloOk", true },
                { "client", new BsonDocument { { "driver", new BsonDocument { { "name", "fuzz" }, { "version", "1.0" } } }, { "os", new BsonDocument("type", "Linux") } } },
                { "compression", new BsonArray(["zstd"]) },
            }),
            Msg("ping", "admin", new BsonDocument("ping", 1)),
            Msg("insert-body", Database, new BsonDocument
            {
                { "insert", "c" },
                { "documents", new BsonArray(SampleDocuments(1)) },
                { "ordered", true },
            }),
            Msg("insert-sequence", Database, new BsonDocument { { "insert", "c" }, { "ordered", false } }, "documents", SampleDocuments(100)),
            Msg("insert-journaled", Database, new BsonDocument
            {
                { "insert", "j" },
                { "documents", new BsonArray([new BsonDocument { { "_id", 5 }, { "v", "journaled" } }]) },
                { "writeConcern", new BsonDocument { { "w", 1 }, { "j", true } } },
            }),
            Msg("find", Database, new BsonDocument
            {
                { "find", "c" },
                { "filter", new BsonDocument { { "a", new BsonDocument("$gte", 1) }, { "s", new BsonDocument("$regex", "^x") } } },
                { "sort", new BsonDocument("a", -1) },
                { "projection", new BsonDocument { { "a", 1 }, { "sub.y", 1 } } },
                { "limit", 5 },
                { "batchSize", 2 },
            }),
            Msg("find-or", Database, new BsonDocument
            {
                { "find", "c" },
                { "filter", new BsonDocument("$or", new BsonArray([new BsonDocument("arr", 1), new BsonDocument("arr.three", new BsonDocument("$exists", true))])) },
                { "skip", 1 },
                { "singleBatch", true },
            }),
            Msg("update-body", Database, new BsonDocument
            {
                { "update", "c" },
                {
                    "updates", new BsonArray(
                    [
                        new BsonDocument { { "q", new BsonDocument("a", 1) }, { "u", new BsonDocument { { "$set", new BsonDocument("b", 2) }, { "$inc", new BsonDocument("n", 1) } } }, { "multi", true } },
                        new BsonDocument { { "q", new BsonDocument("_id", 9) }, { "u", new BsonDocument("x", 1) }, { "upsert", true } },
                    ])
                },
            }),
            Msg("update-sequence", Database, new BsonDocument("update", "c"), "updates",
            [
                new BsonDocument { { "q", new BsonDocument("arr", 1) }, { "u", new BsonDocument("$push", new BsonDocument("arr", 4)) } },
                new BsonDocument
                {
                    { "q", new BsonDocument() },
                    { "u", new BsonDocument("$set", new BsonDocument("arr.$[e]", 0)) },
                    { "arrayFilters", new BsonArray([new BsonDocument("e", new BsonDocument("$gt", 1))]) },
                    { "multi", true },
                },
            ]),
            Msg("delete", Database, new BsonDocument
            {
                { "delete", "c" },
                { "deletes", new BsonArray([new BsonDocument { { "q", new BsonDocument("a", new BsonDocument("$lt", -100)) }, { "limit", 0 } }]) },
            }),
            Msg("aggregate", Database, new BsonDocument
            {
                { "aggregate", "c" },
                {
                    "pipeline", new BsonArray(
                    [
                        new BsonDocument("$match", new BsonDocument("a", new BsonDocument("$gt", 0))),
                        new BsonDocument("$group", new BsonDocument { { "_id", "$s" }, { "n", new BsonDocument("$sum", 1) } }),
                        new BsonDocument("$sort", new BsonDocument("n", -1)),
                    ])
                },
                { "cursor", new BsonDocument() },
            }),
            Msg("getMore", Database, new BsonDocument { { "getMore", 1234567L }, { "collection", "c" }, { "batchSize", 10 } }),
            Msg("killCursors", Database, new BsonDocument { { "killCursors", "c" }, { "cursors", new BsonArray([new BsonInt64(1234567)]) } }),
            Msg("count", Database, new BsonDocument { { "count", "c" }, { "query", new BsonDocument("b", true) } }),
            Msg("distinct", Database, new BsonDocument { { "distinct", "c" }, { "key", "a" } }),
            Msg("findAndModify", Database, new BsonDocument
            {
                { "findAndModify", "c" },
                { "query", new BsonDocument("a", 1) },
                { "update", new BsonDocument("$inc", new BsonDocument("a", 1)) },
                { "new", true },
            }),
            Msg("createIndexes", Database, new BsonDocument
            {
                { "createIndexes", "c" },
                { "indexes", new BsonArray([new BsonDocument { { "key", new BsonDocument("a", 1) }, { "name", "a_1" } }]) },
            }),
            Msg("listCollections", Database, new BsonDocument { { "listCollections", 1 }, { "filter", new BsonDocument() } }),
            Msg("ping-checksum", "admin", new BsonDocument("ping", 1), flags: OpMsgFlags.ChecksumPresent),
            Msg("insert-checksum", Database, new BsonDocument("insert", "k"), "documents", SampleDocuments(200), OpMsgFlags.ChecksumPresent),
            new("query-isMaster", WireMessageCodec.ToBytes(new OpQueryMessage("admin.$cmd", new BsonDocument { { "isMaster", 1 }, { "helloOk", true } }) { NumberToReturn = -1, RequestId = NextSeedId() })),
            new("query-collection", WireMessageCodec.ToBytes(new OpQueryMessage(Database + ".c", new BsonDocument("a", 1)) { NumberToReturn = 5, RequestId = NextSeedId() })),
            new("legacy-insert", LegacyInsert(Database + ".c", SampleDocuments(300)[0])),
        };
        return seeds;
    }

    private static SeedMessage Msg(string name, string database, BsonDocument command, OpMsgFlags flags = OpMsgFlags.None)
        => new(name, WireMessageCodec.ToBytes(WithFixedId(CommandMessage.Create(database, command, flags: flags))));

    private static SeedMessage Msg(string name, string database, BsonDocument command, string identifier, BsonDocument[] documents, OpMsgFlags flags = OpMsgFlags.None)
        => new(name, WireMessageCodec.ToBytes(WithFixedId(CommandMessage.Create(database, command, identifier, documents, flags))));

    /// <summary>The same message with a request id that does not depend on what else ran in the process.</summary>
    private static OpMsgMessage WithFixedId(OpMsgMessage message)
        => new(message.Body, message.Sequences, message.Flags) { RequestId = NextSeedId() };

    private static int NextSeedId() => ++_seedIds * 1_000;

    /// <summary>An OP_INSERT (2002), which mongod no longer executes.</summary>
    private static byte[] LegacyInsert(string fullName, BsonDocument document)
    {
        var name = Encoding.UTF8.GetBytes(fullName);
        var body = Bson.IO.BsonCodec.ToBytes(document);
        var bytes = new byte[16 + 4 + name.Length + 1 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), NextSeedId());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), (int)OpCode.Insert);
        name.CopyTo(bytes, 20);
        body.CopyTo(bytes, 20 + name.Length + 1);
        return bytes;
    }
}
