using System.Diagnostics;
using System.Globalization;
using DistributedSync.Daemon.Embedded;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Emulator.Hosting;

namespace DistributedSync.Daemon.Tests.Embedded;

public sealed class ParentProcessWatchdogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(new[] { "--port", "1", "--parentPid", "77", "--quiet" }, 77, new[] { "--port", "1", "--quiet" })]
    [InlineData(new[] { "--parentPid=12", "--dbpath", "x" }, 12, new[] { "--dbpath", "x" })]
    [InlineData(new[] { "--port", "1" }, null, new[] { "--port", "1" })]
    public void TryExtract_TakesTheFlagOut(string[] args, int? expectedPid, string[] expectedRest)
    {
        Assert.True(ParentProcessWatchdog.TryExtract(args, out var rest, out var pid, out var error));

        Assert.Null(error);
        Assert.Equal(expectedPid, pid);
        Assert.Equal(expectedRest, rest);
    }

    [Theory]
    [InlineData(new[] { "--parentPid" }, "needs a positive process id (got '')")]
    [InlineData(new[] { "--parentPid", "abc" }, "needs a positive process id (got 'abc')")]
    [InlineData(new[] { "--parentPid=0" }, "needs a positive process id (got '0')")]
    [InlineData(new[] { "--parentPid", "-3" }, "got '-3'")]
    [InlineData(new[] { "--parentPid", "1", "--parentPid=2" }, "is given more than once")]
    public void TryExtract_RefusesMalformedFlags(string[] args, string expected)
    {
        Assert.False(ParentProcessWatchdog.TryExtract(args, out _, out var pid, out var error));

        Assert.Null(pid);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchingAnotherProcess_FiresOnlyOnceItIsGone()
    {
        using var watched = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var fired = 0;
        using var watchdog = new ParentProcessWatchdog(watched.Id, () => Interlocked.Increment(ref fired), TimeSpan.FromMilliseconds(20));

        await Wait.UntilAsync(() => watchdog.Checks >= 5, Deadline, "the watchdog has looked five times");
        Assert.False(watchdog.ParentGone);
        Assert.Equal(0, Volatile.Read(ref fired));

        watched.Kill();
        await watched.WaitForExitAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => watchdog.ParentGone, Deadline, "the watchdog notices the exit");

        var checks = watchdog.Checks;
        Assert.Equal(1, Volatile.Read(ref fired));
        Assert.True(checks >= 6);
    }

    [Fact]
    public async Task EmulatorWhoseParentIsKilled_ExitsByItself()
    {
        var ct = TestContext.Current.CancellationToken;
        var launcher = EmulatorLauncher.Locate(null, AppContext.BaseDirectory);
        var dbPath = Directory.CreateTempSubdirectory("distsync-orphan-").FullName;
        try
        {
            // A shell starts the emulator with its own pid as --parentPid, prints the emulator's pid, and waits.
            var command = $"\"{launcher.HostPath}\" \"{launcher.EmulatorPath}\" --port 0 --dbpath \"{dbPath}\" --parentPid $$ >/dev/null 2>&1 & echo $!; wait";
            using var shell = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command }, RedirectStandardOutput = true, UseShellExecute = false })!;
            var line = await shell.StandardOutput.ReadLineAsync(ct);
            var emulatorPid = int.Parse(line!, CultureInfo.InvariantCulture);
            await Wait.UntilAsync(() => File.Exists(Path.Combine(dbPath, "mongod.lock")) || !ProcessProbe.IsRunning(emulatorPid), Deadline, "the emulator has opened its data directory");
            Assert.True(ProcessProbe.IsRunning(emulatorPid), "the emulator should run while its parent lives");

            shell.Kill();
            await shell.WaitForExitAsync(ct);

            await Wait.UntilAsync(() => !ProcessProbe.IsRunning(emulatorPid), Deadline, "the orphaned emulator exits");
        }
        finally
        {
            foreach (var pid in ProcessProbe.WithCommandLine(dbPath))
            {
                using var leftover = Process.GetProcessById(pid);
                leftover.Kill();
            }

            Directory.Delete(dbPath, recursive: true);
        }
    }
}
