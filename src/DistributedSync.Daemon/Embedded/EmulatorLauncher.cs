using System.Diagnostics;

namespace DistributedSync.Daemon.Embedded;

/// <summary>
/// Finds the emulator and builds the command line that starts it. By default the emulator is
/// <c>DistributedSync.Emulator.dll</c> beside the daemon (the daemon's project references the
/// emulator's, so the build puts it there with its <c>.runtimeconfig.json</c> and
/// <c>.deps.json</c>), run by the same <c>dotnet</c> host that runs the daemon.
/// </summary>
public sealed class EmulatorLauncher
{
    /// <summary>The emulator's file name.</summary>
    public const string EmulatorFileName = "DistributedSync.Emulator.dll";

    private EmulatorLauncher(string emulatorPath, string? hostPath)
    {
        EmulatorPath = emulatorPath;
        HostPath = hostPath;
    }

    /// <summary>The emulator: a <c>.dll</c> run by <see cref="HostPath"/>, or an executable.</summary>
    public string EmulatorPath { get; }

    /// <summary>The <c>dotnet</c> host that runs <see cref="EmulatorPath"/>, or null when the emulator is executed directly.</summary>
    public string? HostPath { get; }

    /// <summary>Finds the emulator: <paramref name="configuredPath"/> when given, else beside the daemon.</summary>
    /// <param name="configuredPath">The <c>DistributedSync:Embedded:EmulatorPath</c> setting, or null.</param>
    /// <param name="baseDirectory">The folder of the daemon's binaries.</param>
    /// <exception cref="FileNotFoundException">The emulator (or, for a dll, its runtimeconfig) is missing.</exception>
    public static EmulatorLauncher Locate(string? configuredPath, string baseDirectory)
    {
        var path = string.IsNullOrWhiteSpace(configuredPath)
            ? Path.Combine(baseDirectory, EmulatorFileName)
            : Path.GetFullPath(configuredPath);
        if (!File.Exists(path))
        {
            var hint = string.IsNullOrWhiteSpace(configuredPath)
                ? "build the daemon (it references src/DistributedSync.Emulator) or set DistributedSync:Embedded:EmulatorPath"
                : "check DistributedSync:Embedded:EmulatorPath";
            throw new FileNotFoundException($"The emulator was not found at {path}; {hint}.", path);
        }

        if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return new EmulatorLauncher(path, null);
        }

        var runtimeConfig = Path.ChangeExtension(path, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException($"The emulator's {Path.GetFileName(runtimeConfig)} is missing beside {path}; it cannot be started with dotnet.", runtimeConfig);
        }

        return new EmulatorLauncher(path, FindDotnetHost());
    }

    /// <summary>A start description for the emulator with <paramref name="arguments"/>, output redirected.</summary>
    public ProcessStartInfo CreateStartInfo(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(HostPath ?? EmulatorPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        if (HostPath is not null)
        {
            start.ArgumentList.Add(EmulatorPath);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <inheritdoc />
    public override string ToString() => HostPath is null ? EmulatorPath : HostPath + " " + EmulatorPath;

    /// <summary>
    /// The <c>dotnet</c> executable: the current process when it is <c>dotnet</c>, else
    /// <c>DOTNET_HOST_PATH</c>, else the one above the running runtime's folder, else
    /// <c>DOTNET_ROOT</c>'s, else <c>dotnet</c> from the PATH.
    /// </summary>
    public static string FindDotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/.
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (!string.IsNullOrEmpty(runtimeDirectory))
        {
            var candidate = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..", exe));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, exe)))
        {
            return Path.Combine(root, exe);
        }

        return exe;
    }
}
