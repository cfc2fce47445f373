using System.Runtime.InteropServices;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary><c>hostInfo</c>: the machine the node runs on (system, os, extra), as mongod reports it.</summary>
public sealed class HostInfoCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "hostInfo";

    /// <inheritdoc />
    public string Help => "returns information about the daemon's host";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var memory = GC.GetGCMemoryInfo();
        var memSizeMb = memory.TotalAvailableMemoryBytes / (1024 * 1024);
        var system = new BsonDocument
        {
            { "currentTime", new BsonDateTime(context.Time.GetUtcNow().ToUnixTimeMilliseconds()) },
            { "hostname", context.Server.HostAndPort },
            { "cpuAddrSize", Environment.Is64BitProcess ? 64 : 32 },
            { "memSizeMB", memSizeMb },
            { "memLimitMB", memSizeMb },
            { "numCores", Environment.ProcessorCount },
            { "numCoresAvailableToProcess", Environment.ProcessorCount },
            { "numPhysicalCores", Environment.ProcessorCount },
            { "numCpuSockets", 1 },
            { "cpuArch", RuntimeInformation.OSArchitecture switch { Architecture.X64 => "x86_64", Architecture.Arm64 => "aarch64", var a => a.ToString().ToLowerInvariant() } },
            { "numaEnabled", false },
            { "numNumaNodes", 1 },
        };
        var os = new BsonDocument
        {
            { "type", OperatingSystem.IsLinux() ? "Linux" : OperatingSystem.IsMacOS() ? "Darwin" : OperatingSystem.IsWindows() ? "Windows" : "Unknown" },
            { "name", RuntimeInformation.OSDescription },
            { "version", Environment.OSVersion.Version.ToString() },
        };
        var extra = new BsonDocument
        {
            { "versionString", RuntimeInformation.OSDescription },
            { "kernelVersion", Environment.OSVersion.Version.ToString() },
            { "pageSize", (long)Environment.SystemPageSize },
            { "runtime", RuntimeInformation.FrameworkDescription },
        };
        return ValueTask.FromResult(new BsonDocument { { "system", system }, { "os", os }, { "extra", extra } });
    }
}
