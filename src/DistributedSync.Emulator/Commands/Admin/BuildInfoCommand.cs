using DistributedSync.Bson;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary><c>buildInfo</c>: the version the emulator presents (MongoDB 7.0) and its limits.</summary>
public sealed class BuildInfoCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "buildInfo";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => ["buildinfo"];

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public string Help => "get version #, etc.\n{ buildinfo:1 }";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(new BsonDocument
        {
            { "version", ServerVersion.Version },
            { "gitVersion", ServerVersion.GitVersion },
            { "modules", new BsonArray() },
            { "allocator", "system" },
            { "javascriptEngine", "none" },
            { "sysInfo", "deprecated" },
            { "versionArray", ServerVersion.VersionArray() },
            { "openssl", new BsonDocument { { "running", "disabled" }, { "compiled", "disabled" } } },
            { "buildEnvironment", new BsonDocument { { "distmod", "distributedsync-emulator" }, { "target_os", "linux" } } },
            { "bits", Environment.Is64BitProcess ? 64 : 32 },
            { "debug", false },
            { "maxBsonObjectSize", ServerVersion.MaxBsonObjectSize },
            { "storageEngines", new BsonArray { "wiredTiger" } },
        });
}

/// <summary><c>ping</c>: answers immediately; allowed before authentication, as in mongod.</summary>
public sealed class PingCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "ping";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public string Help => "a way to check that the server is alive. responds immediately even if server is in a db lock.";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(new BsonDocument());
}

/// <summary><c>whatsmyuri</c>: the client's address as the server sees it.</summary>
public sealed class WhatsMyUriCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "whatsmyuri";

    /// <inheritdoc />
    public string Help => "{whatsmyuri:1}";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(new BsonDocument("you", context.Connection.RemoteAddress));
}

/// <summary><c>getCmdLineOpts</c>: the process arguments and the parsed settings (passwords redacted).</summary>
public sealed class GetCmdLineOptsCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "getCmdLineOpts";

    /// <inheritdoc />
    public bool AdminOnly => true;

    /// <inheritdoc />
    public string Help => "get argv";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var options = context.Server.Options;
        var argv = options.Argv.Count > 0 ? options.Argv : ["mongod"];
        return ValueTask.FromResult(new BsonDocument
        {
            { "argv", new BsonArray(argv.Select(a => (BsonValue)a)) },
            { "parsed", options.Parsed },
        });
    }
}
