using DistributedSync.Bson;
using DistributedSync.Emulator.Commands;
using DistributedSync.Emulator.Hosting;
using DistributedSync.Emulator.Server;
using DistributedSync.Emulator.Storage;
using DistributedSync.Emulator.Tests.Storage;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Emulator.Tests.Crud;

/// <summary>
/// An emulator node without sockets: a temporary storage, the server state with every command
/// handler, and helpers that run commands through the dispatcher as a connection would.
/// </summary>
internal sealed class CommandHost : IAsyncDisposable
{
    private readonly TempDbPath _dir = new();
    private readonly ServerLog _log = new(null, quiet: true);
    private readonly ConnectionState _connection = new(1, null, null);

    public CommandHost(TimeProvider? time = null, EmulatorOptions? options = null)
    {
        Storage = StorageEngine.Open(_dir.Path);
        Server = new ServerState(options ?? new EmulatorOptions { Quiet = true }, Storage, _log, time);
    }

    public StorageEngine Storage { get; }

    public ServerState Server { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Runs a command and returns the reply (errors included, as replies).</summary>
    public Task<BsonDocument> RunAsync(BsonDocument command, string database = "app", IReadOnlyList<DocumentSequence>? sequences = null)
        => DispatchAsync(command, database, sequences, Ct);

    /// <summary>Runs a command with an explicit cancellation token.</summary>
    public Task<BsonDocument> DispatchAsync(BsonDocument command, string database, IReadOnlyList<DocumentSequence>? sequences, CancellationToken cancellationToken)
    {
        var context = new CommandContext(database, command, sequences, _connection, Server);
        return Server.Dispatcher.DispatchAsync(context, cancellationToken).AsTask();
    }

    /// <summary>Runs a command that must succeed.</summary>
    public async Task<BsonDocument> OkAsync(BsonDocument command, string database = "app")
    {
        var reply = await RunAsync(command, database);
        Assert.True(reply["ok"].ToDouble() == 1, "command failed: " + reply);
        return reply;
    }

    /// <summary>Runs a command that must fail with <paramref name="code"/>; returns the reply.</summary>
    public async Task<BsonDocument> FailsAsync(BsonDocument command, int code, string database = "app")
    {
        var reply = await RunAsync(command, database);
        Assert.True(reply["ok"].ToDouble() == 0, "command succeeded: " + reply);
        Assert.Equal(code, reply["code"].AsInt32);
        return reply;
    }

    /// <summary>Inserts documents into app.<paramref name="collection"/>.</summary>
    public Task<BsonDocument> InsertAsync(string collection, params BsonDocument[] documents)
        => OkAsync(new BsonDocument { { "insert", collection }, { "documents", new BsonArray(documents) } });

    /// <summary>All documents of app.<paramref name="collection"/> (find with a large batch).</summary>
    public async Task<List<BsonDocument>> AllAsync(string collection, BsonDocument? filter = null, BsonDocument? sort = null)
    {
        var command = new BsonDocument { { "find", collection }, { "filter", filter ?? [] }, { "batchSize", 100000 } };
        if (sort is not null)
        {
            command.Add("sort", sort);
        }

        return FirstBatch(await OkAsync(command));
    }

    /// <summary>The documents of a find/aggregate reply's first batch.</summary>
    public static List<BsonDocument> FirstBatch(BsonDocument reply) => Batch(reply, "firstBatch");

    /// <summary>The documents of a getMore reply's next batch.</summary>
    public static List<BsonDocument> NextBatch(BsonDocument reply) => Batch(reply, "nextBatch");

    /// <summary>The cursor id of a cursor reply.</summary>
    public static long CursorId(BsonDocument reply) => reply["cursor"].AsDocument["id"].AsInt64;

    private static List<BsonDocument> Batch(BsonDocument reply, string field)
        => [.. reply["cursor"].AsDocument[field].AsArray.Select(v => v.AsDocument)];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Storage.Dispose();
        _log.Dispose();
        _dir.Dispose();
    }
}
