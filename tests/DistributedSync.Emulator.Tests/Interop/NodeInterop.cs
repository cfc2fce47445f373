using System.Diagnostics;
using System.Text;
using DistributedSync.TestKit;

namespace DistributedSync.Emulator.Tests.Interop;

/// <summary>
/// Runs Node.js programs from the npm project <c>tests/interop</c> (the official driver and
/// mongosh) with a deadline. <see cref="Find"/> returns null with a reason naming what is missing
/// (node on PATH, or an npm package under tests/interop/node_modules), so callers can skip.
/// </summary>
internal sealed class NodeInterop
{
    private NodeInterop(string node, string interopDirectory)
    {
        NodePath = node;
        InteropDirectory = interopDirectory;
    }

    /// <summary>The node executable.</summary>
    public string NodePath { get; }

    /// <summary>The <c>tests/interop</c> folder.</summary>
    public string InteropDirectory { get; }

    /// <summary>Locates node and the npm package <paramref name="package"/>, or says which is missing.</summary>
    public static NodeInterop? Find(string package, out string missing)
    {
        var interop = Path.Combine(SharedData.RepositoryRoot(), "tests", "interop");
        if (!File.Exists(Path.Combine(interop, "node_modules", package, "package.json")))
        {
            missing = $"tests/interop/node_modules/{package} is missing: run `npm ci` in tests/interop (./test.sh does) to install the pinned '{package}' package.";
            return null;
        }

        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node");
        if (node is null)
        {
            missing = "Node.js ('node') is not on PATH; the interop suites run the official driver and mongosh under it.";
            return null;
        }

        missing = string.Empty;
        return new NodeInterop(node, interop);
    }

    /// <summary>
    /// Runs <c>node arguments...</c> in <see cref="InteropDirectory"/> and returns its exit code
    /// and output; kills it (and throws <see cref="TimeoutException"/>) when
    /// <paramref name="deadline"/> passes.
    /// </summary>
    public async Task<NodeRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(NodePath)
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + NodePath);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            var partial = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"node {string.Join(' ', arguments)} did not finish within {deadline.TotalSeconds:0} s.\nstdout:\n{partial}\nstderr:\n{errors}");
        }

        return new NodeRun(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
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

/// <summary>How a node run ended.</summary>
internal sealed record NodeRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything, for assertion messages.</summary>
    public string Describe() => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
