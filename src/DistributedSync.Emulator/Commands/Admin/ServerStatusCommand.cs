using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary>
/// <c>serverStatus</c>: host, version, process, pid, uptime, localTime, and the sections
/// asserts, connections, network, opcounters, mem and storageEngine. A section given as
/// <c>0</c>/<c>false</c> in the command is left out, as in mongod.
/// </summary>
public sealed class ServerStatusCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "serverStatus";

    /// <inheritdoc />
    public string Help => "returns lots of administrative server statistics";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var server = context.Server;
        var uptime = server.Uptime;
        var reply = new BsonDocument
        {
            { "host", server.HostAndPort },
            { "version", ServerVersion.Version },
            { "process", "mongod" },
            { "pid", (long)Environment.ProcessId },
            { "uptime", Math.Floor(uptime.TotalSeconds) },
            { "uptimeMillis", (long)uptime.TotalMilliseconds },
            { "uptimeEstimate", (long)uptime.TotalSeconds },
            { "localTime", new BsonDateTime(context.Time.GetUtcNow().ToUnixTimeMilliseconds()) },
        };
        AddSection(context, reply, "asserts", () => new BsonDocument
        {
            { "regular", 0 }, { "warning", 0 }, { "msg", 0 }, { "user", 0 }, { "tripwire", 0 }, { "rollovers", 0 },
        });
        AddSection(context, reply, "connections", server.ConnectionsDocument);
        AddSection(context, reply, "network", server.Counters.Network);
        AddSection(context, reply, "opcounters", server.Counters.OpCounters);
        AddSection(context, reply, "mem", Memory);
        AddSection(context, reply, "storageEngine", () => new BsonDocument
        {
            { "name", "wiredTiger" },
            { "supportsCommittedReads", true },
            { "oldestRequiredTimestampForCrashRecovery", new BsonTimestamp(0, 0) },
            { "supportsPendingDrops", true },
            { "dropPendingIdents", 0L },
            { "supportsSnapshotReadConcern", true },
            { "readOnly", false },
            { "persistent", true },
            { "backupCursorOpen", false },
        });
        return ValueTask.FromResult(reply);
    }

    private static void AddSection(CommandContext context, BsonDocument reply, string name, Func<BsonDocument> section)
    {
        if (context.Command.GetValueOrDefault(name) is { } flag && !flag.ToBoolean())
        {
            return;
        }

        reply.Add(name, section());
    }

    private static BsonDocument Memory()
    {
        using var process = Process.GetCurrentProcess();
        return new BsonDocument
        {
            { "bits", Environment.Is64BitProcess ? 64 : 32 },
            { "resident", (int)(process.WorkingSet64 / (1024 * 1024)) },
            { "virtual", (int)(process.VirtualMemorySize64 / (1024 * 1024)) },
            { "supported", true },
        };
    }
}
