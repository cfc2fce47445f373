using System.Diagnostics;
using System.Globalization;
using DistributedSync.Daemon.Embedded;
using DistributedSync.Daemon.Tests.Support;

namespace DistributedSync.Daemon.Tests.Embedded;

/// <summary>The daemon as operators run it: a process with a configuration file.</summary>
public sealed class DaemonProcessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("distsync-daemon-");

    public void Dispose()
    {
        foreach (var pid in ProcessProbe.WithCommandLine(_work.FullName))
        {
            using var leftover = Process.GetProcessById(pid);
            leftover.Kill(entireProcessTree: true);
        }

        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task KilledWithSigkill_LeavesNoOrphanNodes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (daemon, httpPort) = StartDaemon(embedded: true);
        using (daemon)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            await WaitForStatusAsync(http, daemon);
            var nodes = ProcessProbe.ChildrenOf(daemon.Id);
            Assert.Equal(3, nodes.Count);

            daemon.Kill();
            await daemon.WaitForExitAsync(ct);

            await Wait.UntilAsync(() => nodes.All(pid => !ProcessProbe.IsRunning(pid)), Deadline, "every orphaned node exits");
        }
    }

    [Fact]
    public async Task Sigterm_StopsTheNodesAndExitsWithZero()
    {
        var ct = TestContext.Current.CancellationToken;
        var (daemon, httpPort) = StartDaemon(embedded: true);
        using (daemon)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            await WaitForStatusAsync(http, daemon);
            var nodes = ProcessProbe.ChildrenOf(daemon.Id);
            Assert.Equal(3, nodes.Count);

            using (var kill = Process.Start("kill", ["-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(ct);
            }

            await daemon.WaitForExitAsync(ct).WaitAsync(Deadline, ct);
            Assert.Equal(0, daemon.ExitCode);
            Assert.All(nodes, pid => Assert.False(ProcessProbe.IsRunning(pid)));
        }
    }

    [Fact]
    public async Task InvalidConfiguration_ExitsWithTwo_PrintingEveryProblemWithItsKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = Path.Combine(_work.FullName, "bad.json");
        await File.WriteAllTextAsync(config, """
            {"DistributedSync": {
              "Nodes": [
                {"Id": 1, "Name": "a", "Uri": "mongodb://u:topsecret@127.0.0.1:1,"},
                {"Id": 1, "Name": "b", "Uri": "mongodb://127.0.0.1:2"}],
              "Election": {"HeartbeatIntervalMs": 1000, "FailureTimeoutMs": 800}}}
            """, ct);
        var start = DaemonStartInfo(["--config", config]);
        start.RedirectStandardError = true;
        using var daemon = Process.Start(start)!;
        var stderr = await daemon.StandardError.ReadToEndAsync(ct);
        await daemon.WaitForExitAsync(ct).WaitAsync(Deadline, ct);

        Assert.Equal(2, daemon.ExitCode);
        Assert.Contains("Invalid configuration:", stderr, StringComparison.Ordinal);
        Assert.Contains("DistributedSync:Nodes: 2 node(s) configured", stderr, StringComparison.Ordinal);
        Assert.Contains("DistributedSync:Nodes:1:Id: 1 is already the id", stderr, StringComparison.Ordinal);
        Assert.Contains("DistributedSync:Nodes:0:Uri:", stderr, StringComparison.Ordinal);
        Assert.Contains("DistributedSync:Election:FailureTimeoutMs: 800 must be greater", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpPortInUse_ExitsWithOne()
    {
        var ct = TestContext.Current.CancellationToken;
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var start = DaemonStartInfo(["--DistributedSync:Embedded:Enabled=false", $"--DistributedSync:Http:Urls=http://127.0.0.1:{port}"]);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        using var daemon = Process.Start(start)!;
        var stdout = daemon.StandardOutput.ReadToEndAsync(ct);
        var stderr = await daemon.StandardError.ReadToEndAsync(ct);
        await daemon.WaitForExitAsync(ct).WaitAsync(Deadline, ct);

        Assert.Equal(1, daemon.ExitCode);
        Assert.Contains("The daemon could not start:", stderr, StringComparison.Ordinal);
        Assert.Contains(port.ToString(CultureInfo.InvariantCulture), stderr, StringComparison.Ordinal);
        Assert.Contains("FTL] DistributedSync.Daemon: The daemon could not start", await stdout, StringComparison.Ordinal);
    }

    private (Process Daemon, int HttpPort) StartDaemon(bool embedded)
    {
        var ports = ProcessProbe.FreePorts(4);
        var data = Path.Combine(_work.FullName, "data");
        string[] args =
        [
            $"--DistributedSync:Embedded:Enabled={embedded}",
            $"--DistributedSync:Embedded:DataDirectory={data}",
            $"--DistributedSync:Http:Urls=http://127.0.0.1:{ports[3]}",
            $"--DistributedSync:Nodes:0:Uri=mongodb://127.0.0.1:{ports[0]}/",
            $"--DistributedSync:Nodes:1:Uri=mongodb://127.0.0.1:{ports[1]}/",
            $"--DistributedSync:Nodes:2:Uri=mongodb://127.0.0.1:{ports[2]}/",
            $"--Serilog:WriteTo:1:Args:path={Path.Combine(_work.FullName, "logs", "daemon-.log")}",
        ];
        var start = DaemonStartInfo(args);
        start.RedirectStandardOutput = true;
        var daemon = Process.Start(start)!;
        daemon.OutputDataReceived += (_, _) => { };
        daemon.BeginOutputReadLine();
        return (daemon, ports[3]);
    }

    // Runs the built daemon with the shipped config/appsettings.json (copied beside it), from the temporary folder.
    private ProcessStartInfo DaemonStartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(EmulatorLauncher.FindDotnetHost())
        {
            UseShellExecute = false,
            WorkingDirectory = _work.FullName,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DistributedSync.Daemon.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DISTSYNC_CONFIG");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DistributedSync", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        return start;
    }

    private static async Task WaitForStatusAsync(HttpClient http, Process daemon)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(daemon.HasExited, "the daemon exited during startup");
            try
            {
                using var response = await http.GetAsync("/status", ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException("The daemon did not answer /status in time.");
            }

            await Task.Delay(100, ct);
        }
    }
}
