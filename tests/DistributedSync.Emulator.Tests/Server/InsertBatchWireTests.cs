using DistributedSync.Bson;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Emulator.Tests.Server;

/// <summary>Batched inserts over a real connection, whose sequences keep the received bytes.</summary>
public sealed class InsertBatchWireTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await InProcessServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_batch_of_1000_documents_reads_back_as_sent()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var documents = Batch();

        var reply = await InsertAsync(client, WireMessageCodec.ToBytes(CommandMessage.Create("app", new BsonDocument("insert", "c"), "documents", documents)));

        Assert.Equal(1000, reply["n"].AsInt32);
        var found = await client.CommandAsync("app", new BsonDocument { { "find", "c" }, { "batchSize", 1000 } }, Ct);
        Assert.Equal(documents, found["cursor"].AsDocument["firstBatch"].AsArray.Select(d => d.AsDocument));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(7_777)]
    public async Task A_corrupted_document_in_a_batch_closes_the_connection_and_stores_nothing(int chunk)
    {
        await using var offender = await _server.ConnectAsync(Ct);
        var bytes = WireMessageCodec.ToBytes(CommandMessage.Create("app", new BsonDocument("insert", "c"), "documents", Batch()));
        var text = bytes.AsSpan().IndexOf("text-500\0"u8);
        bytes[text + 5] = 0xC0; // an overlong UTF-8 lead byte inside one document's string

        // In one write, or in chunks so that the server reads the message in several segments.
        for (var at = 0; at < bytes.Length; at += chunk == 0 ? bytes.Length : chunk)
        {
            await offender.SendRawAsync(bytes[at..Math.Min(bytes.Length, at + (chunk == 0 ? bytes.Length : chunk))], Ct);
        }

        Assert.True(await offender.WaitForServerCloseAsync(TimeSpan.FromSeconds(15), Ct));
        // The connection may be seen closed a moment before its log line is written: wait for it.
        const string expected = "A document of sequence 'documents' is invalid BSON: The string of field 'text' is not valid UTF-8";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!_server.Log.RecentLines().Any(l => l.Contains(expected, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(_server.Log.RecentLines().Any(l => l.Contains(expected, StringComparison.Ordinal)), "log:\n" + string.Join('\n', _server.Log.RecentLines()));
        await using var client = await _server.ConnectAsync(Ct);
        var count = await client.CommandAsync("app", new BsonDocument("count", "c"), Ct);
        Assert.Equal(0, count["n"].ToInt64());
    }

    private static List<BsonDocument> Batch()
        => [.. Enumerable.Range(0, 1000).Select(i => new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() }, { "text", "text-" + i }, { "tags", new BsonArray { "a", "b", i } },
            { "nested", new BsonDocument { { "n", i }, { "empty", new BsonArray() } } },
        })];

    private static async Task<BsonDocument> InsertAsync(WireTestClient client, byte[] message)
    {
        await client.SendRawAsync(message, Ct);
        var reply = Assert.IsType<OpMsgMessage>(await client.ReceiveAsync(Ct));
        return reply.Body;
    }
}
