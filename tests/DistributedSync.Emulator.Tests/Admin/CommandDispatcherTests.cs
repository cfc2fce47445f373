using DistributedSync.Bson;
using DistributedSync.Emulator.Commands;
using DistributedSync.Emulator.Commands.Admin;
using DistributedSync.Emulator.Hosting;
using DistributedSync.Emulator.Query;
using DistributedSync.Emulator.Server;
using DistributedSync.Emulator.Storage;
using DistributedSync.Emulator.Tests.Storage;
using Xunit;

namespace DistributedSync.Emulator.Tests.Admin;

public sealed class CommandDispatcherTests : IAsyncDisposable
{
    private readonly TempDbPath _dir = new();
    private readonly StorageEngine _storage;
    private readonly ServerLog _log = new(null);

    public CommandDispatcherTests() => _storage = StorageEngine.Open(_dir.Path);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _storage.Dispose();
        _log.Dispose();
        _dir.Dispose();
        await Task.CompletedTask;
    }

    [Fact]
    public void Discovery_registers_every_handler_of_the_assembly_under_unique_names()
    {
        var dispatcher = CommandDispatcher.CreateDefault();

        foreach (var name in new[] { "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "getParameter", "getCmdLineOpts", "getLog", "hostInfo", "whatsmyuri", "connectionStatus", "serverStatus", "endSessions", "killSessions", "logout", "saslStart", "saslContinue", "listCommands" })
        {
            Assert.NotNull(dispatcher.Find(name));
        }

        Assert.Same(dispatcher.Find("isMaster"), dispatcher.Find("ismaster"));
        Assert.Null(dispatcher.Find("Ping"));
    }

    [Fact]
    public void A_name_can_only_be_taken_once()
    {
        var dispatcher = new CommandDispatcher([new PingCommand()]);

        var error = Assert.Throws<InvalidOperationException>(() => dispatcher.Register(new Stub("other", ["ping"], _ => new BsonDocument())));
        Assert.Contains("'ping'", error.Message, StringComparison.Ordinal);
        Assert.Null(dispatcher.Find("other"));
    }

    [Fact]
    public async Task Ok_is_appended_last_unless_the_handler_set_it()
    {
        var dispatcher = new CommandDispatcher([
            new Stub("plain", [], _ => new BsonDocument("n", 5)),
            new Stub("withOk", [], _ => new BsonDocument { { "ok", 0.0 }, { "x", 1 } }),
        ]);

        var plain = await Dispatch(dispatcher, new BsonDocument("plain", 1));
        var withOk = await Dispatch(dispatcher, new BsonDocument("withOk", 1));

        Assert.Equal(new BsonDocument { { "n", 5 }, { "ok", 1.0 } }, plain);
        Assert.Equal(new BsonDocument { { "ok", 0.0 }, { "x", 1 } }, withOk);
    }

    [Fact]
    public async Task Failures_become_mongod_error_replies()
    {
        var dispatcher = new CommandDispatcher([
            new Stub("dup", [], _ => throw new ServerErrorException(11000, "E11000 duplicate key", new BsonDocument { { "keyPattern", new BsonDocument("a", 1) }, { "keyValue", new BsonDocument("a", 2) } })),
            new Stub("query", [], _ => throw new QueryException(2, "unknown operator: $foo")),
            new Stub("bug", [], _ => throw new InvalidOperationException("boom")),
        ]);

        var dup = await Dispatch(dispatcher, new BsonDocument("dup", 1));
        var query = await Dispatch(dispatcher, new BsonDocument("query", 1));
        var bug = await Dispatch(dispatcher, new BsonDocument("bug", 1));

        Assert.Equal(new BsonDocument
        {
            { "ok", 0.0 }, { "errmsg", "E11000 duplicate key" }, { "code", 11000 }, { "codeName", "DuplicateKey" },
            { "keyPattern", new BsonDocument("a", 1) }, { "keyValue", new BsonDocument("a", 2) },
        }, dup);
        Assert.Equal(new BsonDocument { { "ok", 0.0 }, { "errmsg", "unknown operator: $foo" }, { "code", 2 }, { "codeName", "BadValue" } }, query);
        Assert.Equal(new BsonDocument { { "ok", 0.0 }, { "errmsg", "boom" }, { "code", 1 }, { "codeName", "InternalError" } }, bug);
        Assert.Contains(_log.RecentLines(), l => l.Contains("\"s\":\"E\"", StringComparison.Ordinal) && l.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin_only_and_authentication_rules_are_checked_before_the_handler()
    {
        var ran = 0;
        var adminOnly = new Stub("adminThing", [], _ =>
        {
            ran++;
            return [];
        })
        { IsAdminOnly = true };
        var dispatcher = new CommandDispatcher([adminOnly, new Stub("open", [], _ => []) { NeedsAuth = false }]);

        var elsewhere = await Dispatch(dispatcher, new BsonDocument("adminThing", 1), database: "app");
        var unauthenticated = await Dispatch(dispatcher, new BsonDocument("adminThing", 1), auth: true);
        var open = await Dispatch(dispatcher, new BsonDocument("open", 1), auth: true);
        var fine = await Dispatch(dispatcher, new BsonDocument("adminThing", 1));

        Assert.Equal((13, "adminThing may only be run against the admin database."), (elsewhere["code"].AsInt32, elsewhere["errmsg"].AsString));
        Assert.Equal((13, "command adminThing requires authentication"), (unauthenticated["code"].AsInt32, unauthenticated["errmsg"].AsString));
        Assert.Equal(new BsonDouble(1.0), open["ok"]);
        Assert.Equal(new BsonDouble(1.0), fine["ok"]);
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task GetDocuments_reads_a_sequence_or_a_body_array()
    {
        IReadOnlyList<BsonDocument>? seen = null;
        var dispatcher = new CommandDispatcher([new Stub("insert", [], c =>
        {
            seen = c.GetDocuments("documents");
            return [];
        })]);

        await Dispatch(dispatcher, new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument("a", 1) } } });
        Assert.Equal([new BsonDocument("a", 1)], seen);
        var wrong = await Dispatch(dispatcher, new BsonDocument { { "insert", "c" }, { "documents", 3 } });
        Assert.Equal(14, wrong["code"].AsInt32);
        Assert.Equal("BSON field 'insert.documents' is the wrong type 'int', expected type 'array'", wrong["errmsg"].AsString);
    }

    private async Task<BsonDocument> Dispatch(CommandDispatcher dispatcher, BsonDocument command, string database = "admin", bool auth = false)
    {
        var state = new ServerState(new EmulatorOptions { Auth = auth }, _storage, _log);
        await using (state)
        {
            var context = new CommandContext(database, command, null, new ConnectionState(1, null, null), state);
            return await dispatcher.DispatchAsync(context, Ct);
        }
    }

    private sealed class Stub(string name, IReadOnlyList<string> aliases, Func<CommandContext, BsonDocument> run) : ICommandHandler
    {
        public string Name => name;

        public IReadOnlyList<string> Aliases => aliases;

        public bool NeedsAuth { get; init; } = true;

        public bool IsAdminOnly { get; init; }

        public bool RequiresAuthentication => NeedsAuth;

        public bool AdminOnly => IsAdminOnly;

        public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
            => ValueTask.FromResult(run(context));
    }
}
