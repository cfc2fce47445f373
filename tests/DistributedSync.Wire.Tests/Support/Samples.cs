using DistributedSync.Bson;

namespace DistributedSync.Wire.Tests.Support;

/// <summary>Valid messages of every type and shape, by name, for round trips and mutations.</summary>
internal static class Samples
{
    public static readonly IReadOnlyDictionary<string, Func<WireMessage>> All = new Dictionary<string, Func<WireMessage>>
    {
        ["msg-body"] = () => new OpMsgMessage(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }) { RequestId = 11 },
        ["msg-rich-body"] = () => new OpMsgMessage(RichDocument()) { RequestId = -5, ResponseTo = 99 },
        ["msg-sequences"] = () => new OpMsgMessage(
            new BsonDocument { { "insert", "users" }, { "$db", "app" } },
            [new DocumentSequence("documents", [Person(1), Person(2), Person(3)]), new DocumentSequence("updates", [Person(4)])])
        { RequestId = 12 },
        ["msg-empty-sequence"] = () => new OpMsgMessage(
            new BsonDocument("insert", "x"),
            [new DocumentSequence("documents", [])])
        { RequestId = 13 },
        ["msg-flags"] = () => new OpMsgMessage(
            new BsonDocument("ok", 1.0), null, OpMsgFlags.MoreToCome | OpMsgFlags.ExhaustAllowed)
        { RequestId = 14, ResponseTo = 3 },
        ["msg-checksum"] = () => new OpMsgMessage(
            new BsonDocument { { "insert", "c" }, { "$db", "d" } },
            [new DocumentSequence("documents", [Person(5), Person(6)])],
            OpMsgFlags.ChecksumPresent)
        { RequestId = 15 },
        ["query-hello"] = () => new OpQueryMessage("admin.$cmd", new BsonDocument { { "hello", 1 }, { "helloOk", true }, { "client", new BsonDocument("driver", new BsonDocument("name", "nodejs")) } })
        { RequestId = 16, NumberToReturn = -1 },
        ["query-selector"] = () => new OpQueryMessage("db.coll", new BsonDocument("a", 1))
        {
            RequestId = 17,
            Flags = OpQueryFlags.SecondaryOk | OpQueryFlags.NoCursorTimeout,
            NumberToSkip = 5,
            NumberToReturn = 20,
            ReturnFieldsSelector = new BsonDocument("a", 1),
        },
        ["reply-one"] = () => new OpReplyMessage([new BsonDocument { { "ismaster", true }, { "maxWireVersion", 21 }, { "ok", 1.0 } }]) { RequestId = 18, ResponseTo = 16 },
        ["reply-many"] = () => new OpReplyMessage([Person(1), Person(2), RichDocument()])
        {
            RequestId = 19,
            ResponseTo = 17,
            CursorId = 12_345_678_901L,
            StartingFrom = 10,
            ResponseFlags = OpReplyFlags.AwaitCapable,
        },
        ["reply-empty"] = () => new OpReplyMessage([]) { RequestId = 20, ResponseFlags = OpReplyFlags.CursorNotFound },
    };

    public static TheoryData<string> Names => [.. All.Keys];

    public static BsonDocument Person(int i) => new()
    {
        { "_id", i },
        { "name", $"person-{i}" },
        { "tags", new BsonArray { "a", "b" } },
    };

    public static BsonDocument RichDocument() => new()
    {
        { "s", "héllo wörld ✓" },
        { "i32", int.MinValue },
        { "i64", long.MaxValue },
        { "d", 3.25 },
        { "b", false },
        { "n", BsonNull.Value },
        { "oid", ObjectId.Parse("0123456789abcdef01234567") },
        { "nested", new BsonDocument { { "arr", new BsonArray { 1, "two", new BsonDocument("three", 3) } } } },
        { "bin", new BsonBinaryData([1, 2, 3]) },
    };
}
