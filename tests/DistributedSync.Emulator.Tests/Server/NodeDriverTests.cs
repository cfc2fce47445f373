using System.Diagnostics;
using System.Text.Json;
using DistributedSync.Emulator.Hosting;
using DistributedSync.TestKit;
using Xunit;

namespace DistributedSync.Emulator.Tests.Server;

/// <summary>
/// The official Node.js driver (tests/interop) against the emulator: it must see a standalone
/// server, authenticate with both SCRAM mechanisms, and get mongod's errors.
/// </summary>
public sealed class NodeDriverTests
{
    private const string Script = """
        import { MongoClient } from 'mongodb';
        const port = process.env.EMULATOR_PORT;
        const out = { types: [] };
        async function attempt(name, uri, work) {
          const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10000, directConnection: true });
          client.on('serverDescriptionChanged', e => out.types.push(e.newDescription.type));
          try {
            await client.connect();
            out[name] = await work(client);
          } catch (e) {
            out[name] = { error: { name: e.name, code: e.code ?? null, message: e.message } };
          } finally {
            await client.close();
          }
        }
        const whoAmI = async c => {
          const admin = c.db('admin');
          const status = await admin.command({ connectionStatus: 1 });
          const build = await admin.command({ buildInfo: 1 });
          return { users: status.authInfo.authenticatedUsers, version: build.version };
        };
        await attempt('sha256', `mongodb://root:pw@127.0.0.1:${port}/?authMechanism=SCRAM-SHA-256`, whoAmI);
        await attempt('sha1', `mongodb://root:pw@127.0.0.1:${port}/?authMechanism=SCRAM-SHA-1`, whoAmI);
        await attempt('negotiated', `mongodb://root:pw@127.0.0.1:${port}/`, whoAmI);
        await attempt('wrong', `mongodb://root:nope@127.0.0.1:${port}/`, async () => 'connected');
        await attempt('anonymous', `mongodb://127.0.0.1:${port}/`, c => c.db('admin').command({ serverStatus: 1 }));
        console.log(JSON.stringify(out));
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_official_driver_sees_a_standalone_and_authenticates()
    {
        var interop = Path.Combine(SharedData.RepositoryRoot(), "tests", "interop");
        if (!File.Exists(Path.Combine(interop, "node_modules", "mongodb", "package.json")))
        {
            Assert.Skip("tests/interop/node_modules has no 'mongodb' package: run npm ci in tests/interop (test.sh does).");
        }

        await using var server = await InProcessServer.StartAsync(new EmulatorOptions { Auth = true, User = "root", Password = "pw" }, Ct);
        using var result = JsonDocument.Parse(await RunNodeAsync(interop, server.Port));
        var root = result.RootElement;

        foreach (var name in new[] { "sha256", "sha1", "negotiated" })
        {
            var run = root.GetProperty(name);
            Assert.False(run.TryGetProperty("error", out var error), name + ": " + error);
            Assert.Equal("7.0.14", run.GetProperty("version").GetString());
            var user = Assert.Single(run.GetProperty("users").EnumerateArray());
            Assert.Equal(("root", "admin"), (user.GetProperty("user").GetString(), user.GetProperty("db").GetString()));
        }

        var wrong = root.GetProperty("wrong").GetProperty("error");
        Assert.Equal(18, wrong.GetProperty("code").GetInt32());
        Assert.Contains("Authentication failed", wrong.GetProperty("message").GetString(), StringComparison.Ordinal);
        var anonymous = root.GetProperty("anonymous").GetProperty("error");
        Assert.Equal(13, anonymous.GetProperty("code").GetInt32());
        Assert.Equal("command serverStatus requires authentication", anonymous.GetProperty("message").GetString());
        Assert.Contains("Standalone", root.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.DoesNotContain("RSPrimary", root.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
    }

    private static async Task<string> RunNodeAsync(string interop, int port)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = interop,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--input-type=module");
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Script);
        start.Environment["EMULATOR_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("Node.js ('node') is not on PATH.");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(120));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            Assert.True(process.ExitCode == 0, "node failed: " + await stderr);
            return (await stdout).Trim().Split('\n')[^1];
        }
    }
}
