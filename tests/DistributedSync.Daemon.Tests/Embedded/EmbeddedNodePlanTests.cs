using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Embedded;

namespace DistributedSync.Daemon.Tests.Embedded;

public sealed class EmbeddedNodePlanTests
{
    [Fact]
    public void Plan_TakesPortAndHostFromTheUri_AndDbPathFromTheDataDirectory()
    {
        var plan = EmbeddedNodePlan.For(new NodeOptions { Id = 1, Name = "node1", Uri = "mongodb://localhost:27117/" }, "data", "/srv/app");

        Assert.Equal("node1", plan.Name);
        Assert.Equal("127.0.0.1", plan.BindIp);
        Assert.Equal(27117, plan.Port);
        Assert.Equal("/srv/app/data/node1", plan.DbPath);
        Assert.Null(plan.User);
        Assert.Equal(["--port", "27117", "--dbpath", "/srv/app/data/node1", "--bind_ip", "127.0.0.1", "--parentPid", "4242"], plan.Arguments(4242));
    }

    [Fact]
    public void Plan_WithCredentials_StartsTheNodeWithAuthAndThatRootUser_ButNeverShowsThePassword()
    {
        var plan = EmbeddedNodePlan.For(new NodeOptions { Id = 2, Name = "n2", Uri = "mongodb://root:pa%24%24word@[::1]:27200/?authSource=admin" }, "/abs/data", "/ignored");

        Assert.Equal("::1", plan.BindIp);
        Assert.Equal("/abs/data/n2", plan.DbPath);
        var args = plan.Arguments(7);
        Assert.Equal(["--auth", "--user", "root", "--password", "pa$$word"], args.Skip(8));
        Assert.DoesNotContain("pa$$word", plan.ToString(), StringComparison.Ordinal);
        Assert.Contains("user root", plan.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"t":{"$date":"2025-01-01T00:00:00.000Z"},"s":"I","c":"NETWORK","id":23016,"ctx":"listener","msg":"Waiting for connections","attr":{"port":27117,"ssl":"off"}}""", true)]
    [InlineData("""{"s":"I","msg":"Build Info"}""", false)]
    [InlineData("Waiting for connections", false)]
    [InlineData("""{"msg": 5}""", false)]
    [InlineData("""{"msg": "Waiting for connections" """, false)]
    [InlineData("", false)]
    public void ReadyLine_IsTheJsonLogLineWithThatMessage(string line, bool ready)
        => Assert.Equal(ready, EmbeddedNodeProcess.IsReadyLine(line));

    [Fact]
    public void Launcher_FindsTheEmulatorBesideTheBinaries_AndRunsItWithDotnet()
    {
        var launcher = EmulatorLauncher.Locate(null, AppContext.BaseDirectory);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "DistributedSync.Emulator.dll"), launcher.EmulatorPath);
        Assert.NotNull(launcher.HostPath);
        Assert.True(File.Exists(launcher.HostPath), launcher.HostPath);
        var start = launcher.CreateStartInfo(["--port", "1"]);
        Assert.Equal(launcher.HostPath, start.FileName);
        Assert.Equal([launcher.EmulatorPath, "--port", "1"], start.ArgumentList);
        Assert.True(start.RedirectStandardOutput);
    }

    [Fact]
    public void Launcher_MissingConfiguredEmulator_SaysWhichSettingToCheck()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => EmulatorLauncher.Locate("/nowhere/emu.dll", AppContext.BaseDirectory));

        Assert.Contains("/nowhere/emu.dll", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DistributedSync:Embedded:EmulatorPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Launcher_DllWithoutRuntimeConfig_IsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("distsync-launcher-");
        try
        {
            var dll = Path.Combine(dir.FullName, "Emu.dll");
            File.WriteAllBytes(dll, [0]);

            var ex = Assert.Throws<FileNotFoundException>(() => EmulatorLauncher.Locate(dll, AppContext.BaseDirectory));

            Assert.Contains("Emu.runtimeconfig.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Launcher_ExecutableIsRunDirectly()
    {
        var dir = Directory.CreateTempSubdirectory("distsync-launcher-");
        try
        {
            var exe = Path.Combine(dir.FullName, "emulator");
            File.WriteAllBytes(exe, [0]);

            var launcher = EmulatorLauncher.Locate(exe, AppContext.BaseDirectory);

            Assert.Null(launcher.HostPath);
            var start = launcher.CreateStartInfo(["--port", "5"]);
            Assert.Equal(exe, start.FileName);
            Assert.Equal(["--port", "5"], start.ArgumentList);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
