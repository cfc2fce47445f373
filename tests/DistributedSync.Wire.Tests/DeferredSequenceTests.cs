using DistributedSync.Bson;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class DeferredSequenceTests
{
    private static readonly WireLimits Deferred = new() { DeferSequenceDocuments = true };

    [Fact]
    public void Deferred_documents_keep_their_bytes_and_decode_on_first_use()
    {
        var docs = new[] { Samples.Person(1), Samples.RichDocument(), new BsonDocument() };
        var bytes = WireMessageCodec.ToBytes(CommandMessage.Create("app", new BsonDocument("insert", "c"), "documents", docs));

        var sequence = ((OpMsgMessage)WireMessageCodec.Decode(bytes, Deferred)).Sequences[0];

        Assert.Equal(3, sequence.Count);
        Assert.True(sequence.HasRawDocuments);
        Assert.Equal(Bson.IO.BsonCodec.ToBytes(docs[1]), sequence.GetRawDocument(1).ToArray());
        Assert.Equal(docs, sequence.Documents);
        Assert.Same(sequence.Documents, sequence.Documents);
    }

    [Fact]
    public void An_invalid_deferred_document_fails_only_when_decoded()
    {
        var bytes = WireMessageCodec.ToBytes(CommandMessage.Create("app", new BsonDocument("insert", "c"), "documents", [new BsonDocument("a", 1), new BsonDocument("b", true)]));
        bytes[bytes.AsSpan().LastIndexOf("b\0"u8) + 2] = 7; // a boolean must be 0 or 1

        var eager = Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(bytes));
        var sequence = ((OpMsgMessage)WireMessageCodec.Decode(bytes, Deferred)).Sequences[0];
        var deferred = Assert.Throws<WireProtocolException>(() => sequence.Documents);

        Assert.Equal(2, sequence.Count);
        Assert.Contains("A document of sequence 'documents' is invalid BSON: The boolean of field 'b' is 0x07", eager.Message, StringComparison.Ordinal);
        Assert.Equal(eager.Message, deferred.Message);
        Assert.Equal(eager.Offset, deferred.Offset);
    }

    [Fact]
    public void Deferred_documents_still_have_their_lengths_checked_at_decode()
    {
        var bytes = WireMessageCodec.ToBytes(CommandMessage.Create("app", new BsonDocument("insert", "c"), "documents", [new BsonDocument("a", 1)]));
        var length = bytes.AsSpan().IndexOf("documents\0"u8) + "documents\0".Length;
        bytes[length] = 200; // declares more bytes than the section holds

        var eager = Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(bytes));
        var deferred = Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(bytes, Deferred));

        Assert.Equal(eager.Message, deferred.Message);
        Assert.Equal(eager.Offset, deferred.Offset);
    }
}
