using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using DistributedSync.Bson;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class CommandMessageTests
{
    [Fact]
    public void Create_AppendsDbToACopyOfTheCommand()
    {
        var command = new BsonDocument { { "find", "users" }, { "filter", new BsonDocument("a", 1) } };

        var message = CommandMessage.Create("app", command);

        Assert.Equal(["find", "filter", "$db"], message.Body.Names);
        Assert.Equal("app", message.Body["$db"].AsString);
        Assert.False(command.Contains("$db"));
        Assert.Empty(message.Sequences);
        Assert.True(message.RequestId > 0);
        Assert.Equal(0, message.ResponseTo);
    }

    [Fact]
    public void Create_WithDocuments_PutsThemInAKindOneSequence_ThatSurvivesTheWire()
    {
        var docs = new[] { Samples.Person(1), Samples.Person(2) };

        var message = CommandMessage.Create("app", new BsonDocument { { "insert", "users" }, { "ordered", true } }, "documents", docs);
        var decoded = Assert.IsType<OpMsgMessage>(WireMessageCodec.Decode(WireMessageCodec.ToBytes(message)));

        Assert.Equal("app", decoded.Body["$db"].AsString);
        Assert.Equal(docs, decoded.GetSequence("documents")!.Documents);
        Assert.Equal(message.RequestId, decoded.RequestId);
    }

    [Fact]
    public void Create_PassesFlagsThrough()
    {
        var message = CommandMessage.Create("admin", new BsonDocument("hello", 1), null, OpMsgFlags.ExhaustAllowed | OpMsgFlags.ChecksumPresent);
        var decoded = Assert.IsType<OpMsgMessage>(WireMessageCodec.Decode(WireMessageCodec.ToBytes(message)));

        Assert.True(decoded.ExhaustAllowed);
        Assert.True(decoded.ChecksumPresent);
    }

    [Fact]
    public void Create_AcceptsMatchingDb_AndRejectsAConflictingOne()
    {
        Assert.Equal("app", CommandMessage.Create("app", new BsonDocument { { "ping", 1 }, { "$db", "app" } }).Body["$db"].AsString);
        Assert.Throws<ArgumentException>(() => CommandMessage.Create("app", new BsonDocument { { "ping", 1 }, { "$db", "other" } }));
    }

    [Fact]
    public void Create_RejectsEmptyCommandsAndDatabaseNames()
    {
        Assert.Throws<ArgumentException>(() => CommandMessage.Create("app", new BsonDocument()));
        Assert.Throws<ArgumentException>(() => CommandMessage.Create(string.Empty, new BsonDocument("ping", 1)));
    }

    [Fact]
    public void Create_RejectsASequenceNamedLikeABodyField()
        => Assert.Throws<ArgumentException>(() => CommandMessage.Create("app", new BsonDocument { { "insert", "c" }, { "documents", new BsonArray() } }, "documents", [Samples.Person(1)]));

    [Fact]
    public void RequestIds_AreUniqueAcrossThreads()
    {
        var ids = new ConcurrentBag<int>();
        Parallel.For(0, 20_000, _ => ids.Add(RequestIds.Next()));

        Assert.Equal(20_000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id > 0));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(41, 42)]
    [InlineData(int.MaxValue - 1, int.MaxValue)]
    [InlineData(int.MaxValue, 1)]
    public void RequestIds_SuccessorWrapsToOne(int last, int next)
        => Assert.Equal(next, RequestIds.Successor(last));

    [Fact]
    public void Encode_AboveMaximumSize_ThrowsAndWritesNothing()
    {
        var message = CommandMessage.Create("app", new BsonDocument("insert", "c"), "documents", [new BsonDocument("s", new string('x', 500))]);
        var writer = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => WireMessageCodec.Encode(message, writer, new WireLimits { MaxMessageSize = 300 }));
        Assert.Equal(0, writer.WrittenCount);
        Assert.True(WireMessageCodec.Encode(message, writer) > 500);
    }

    [Fact]
    public void RetainRawDocuments_ExposesTheReceivedBytesOfEachSequenceDocument()
    {
        var docs = new[] { Samples.Person(1), Samples.RichDocument(), new BsonDocument() };
        var bytes = WireMessageCodec.ToBytes(CommandMessage.Create("app", new BsonDocument("insert", "c"), "documents", docs));

        var decoded = (OpMsgMessage)WireMessageCodec.Decode(bytes, new WireLimits { RetainRawDocuments = true });
        var sequence = decoded.Sequences[0];

        Assert.True(sequence.HasRawDocuments);
        var offset = bytes.AsSpan().IndexOf("documents\0"u8) + "documents\0".Length;
        for (var i = 0; i < docs.Length; i++)
        {
            var raw = sequence.GetRawDocument(i);
            Assert.Equal(bytes.AsSpan(offset, raw.Length).ToArray(), raw.ToArray());
            Assert.True(MemoryMarshal.TryGetArray(raw, out var own) && own.Offset == 0 && own.Count == own.Array!.Length, "each document has an array of its own");
            Assert.Equal(docs[i], Bson.IO.BsonCodec.Decode(raw.Span));
            offset += raw.Length;
        }

        Assert.Equal(bytes.Length, offset);
        bytes.AsSpan().Clear();
        Assert.Equal(docs[0], Bson.IO.BsonCodec.Decode(sequence.GetRawDocument(0).Span));
    }

    [Fact]
    public void WithoutRetainedBytes_RawDocumentsAreEncodedOnDemand()
    {
        var docs = new[] { Samples.Person(1), Samples.Person(2) };
        var decoded = (OpMsgMessage)WireMessageCodec.Decode(WireMessageCodec.ToBytes(CommandMessage.Create("app", new BsonDocument("insert", "c"), "documents", docs)));
        var sequence = decoded.Sequences[0];

        Assert.False(sequence.HasRawDocuments);
        Assert.Equal(Bson.IO.BsonCodec.ToBytes(docs[1]), sequence.GetRawDocument(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.GetRawDocument(2));
    }
}
