using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace DistributedSync.Bson.Tests.Interop;

/// <summary>
/// Runs the npm oracles of <c>tests/interop</c> (the official js-bson package) under Node.js.
/// <see cref="Find"/> returns null with a reason naming what is missing, so callers can skip.
/// </summary>
internal sealed class NodeOracle
{
    private NodeOracle(string node, string interopDirectory)
    {
        NodePath = node;
        InteropDirectory = interopDirectory;
    }

    /// <summary>The node executable.</summary>
    public string NodePath { get; }

    /// <summary>The <c>tests/interop</c> folder (holds package.json and node_modules).</summary>
    public string InteropDirectory { get; }

    /// <summary>Locates node and the installed npm oracles, or explains which is missing.</summary>
    public static NodeOracle? Find(out string missing, [CallerFilePath] string sourceFile = "")
    {
        var interop = FindInteropDirectory(sourceFile);
        if (interop is null)
        {
            missing = "The npm oracle project tests/interop was not found above " + AppContext.BaseDirectory
                + " nor above the current directory; the js-bson cross-check needs it.";
            return null;
        }

        if (!File.Exists(Path.Combine(interop, "node_modules", "bson", "package.json")))
        {
            missing = $"{Path.Combine(interop, "node_modules", "bson")} is missing: run `npm ci` in tests/interop "
                + "(./test.sh does) to install the official js-bson package used as the oracle.";
            return null;
        }

        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node");
        if (node is null)
        {
            missing = "Node.js ('node') is not on PATH; the js-bson cross-check runs the official bson package under it.";
            return null;
        }

        missing = string.Empty;
        return new NodeOracle(node, interop);
    }

    /// <summary>
    /// Runs <c>node script args...</c> in <see cref="InteropDirectory"/> and returns its standard
    /// output. Fails (with the standard error) on a non-zero exit, and kills the process when
    /// <paramref name="deadline"/> passes or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<string> RunAsync(string script, IReadOnlyList<string> arguments, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(NodePath)
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(InteropDirectory, script));
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + NodePath);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(cancellationToken.IsCancellationRequested
                ? $"node {script} was cancelled."
                : $"node {script} {string.Join(' ', arguments)} did not finish within {deadline.TotalSeconds:0} s.");
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"node {script} {string.Join(' ', arguments)} exited with code {process.ExitCode}:\n{errors}");
        }

        return output;
    }

    private static string? FindInteropDirectory(string sourceFile)
    {
        var starts = new List<string> { AppContext.BaseDirectory, Directory.GetCurrentDirectory() };
        if (!string.IsNullOrEmpty(sourceFile) && Path.IsPathRooted(sourceFile))
        {
            starts.Add(Path.GetDirectoryName(sourceFile)!);
        }

        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DistributedSync.sln")))
                {
                    var candidate = Path.Combine(dir.FullName, "tests", "interop");
                    if (File.Exists(Path.Combine(candidate, "package.json")))
                    {
                        return candidate;
                    }

                    break;
                }
            }
        }

        return null;
    }

    private static string? FindOnPath(string executable)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
