using DistributedSync.Bson;

namespace DistributedSync.Emulator.Hosting;

/// <summary>
/// The settings of one emulator node, as given by mongod-style command-line flags, a config file
/// (<see cref="ConfigFile"/>) or code that embeds the emulator.
/// </summary>
public sealed record EmulatorOptions
{
    /// <summary>mongod's default port.</summary>
    public const int DefaultPort = 27017;

    /// <summary>The default data directory, relative to the working directory.</summary>
    public const string DefaultDbPath = "./data/db";

    /// <summary>The TCP port (<c>--port</c>); 0 picks a free port, reported in "Waiting for connections".</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The data directory (<c>--dbpath</c>), created when missing.</summary>
    public string DbPath { get; init; } = DefaultDbPath;

    /// <summary>The addresses to listen on (<c>--bind_ip</c>, comma-separated on the command line).</summary>
    public IReadOnlyList<string> BindIp { get; init; } = ["127.0.0.1"];

    /// <summary>Listen on every IPv4 and IPv6 address (<c>--bind_ip_all</c>); overrides <see cref="BindIp"/>.</summary>
    public bool BindIpAll { get; init; }

    /// <summary>Enforce access control (<c>--auth</c>): commands need an authenticated user.</summary>
    public bool Auth { get; init; }

    /// <summary>The root user created or updated at start (<c>--user</c>); needs <see cref="Password"/>.</summary>
    public string? User { get; init; }

    /// <summary>The root user's password (<c>--password</c>); only its SCRAM credentials are stored.</summary>
    public string? Password { get; init; }

    /// <summary>Append the log to this file instead of stdout (<c>--logpath</c>).</summary>
    public string? LogPath { get; init; }

    /// <summary>Skip routine connection and authentication log lines (<c>--quiet</c>).</summary>
    public bool Quiet { get; init; }

    /// <summary>fsync every commit (<c>--syncEveryCommit</c>); see <see cref="Storage.StorageOptions.SyncEveryCommit"/>.</summary>
    public bool SyncEveryCommit { get; init; }

    /// <summary>The config file the settings were read from (<c>--config</c>), or null.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The most connections served at once; further ones are closed at accept.</summary>
    public int MaxIncomingConnections { get; init; } = 1_000_000;

    /// <summary>The process arguments as given (passwords redacted), for <c>getCmdLineOpts</c>.</summary>
    public IReadOnlyList<string> Argv { get; init; } = [];

    /// <summary>The parsed settings in mongod's nested form, for <c>getCmdLineOpts</c> (the password redacted).</summary>
    public BsonDocument Parsed => ParsedOptions.ToDocument(this);

    /// <summary>The settings as <see cref="Parsed"/> shows them: the password never appears.</summary>
    public override string ToString() => nameof(EmulatorOptions) + " " + Parsed;
}
