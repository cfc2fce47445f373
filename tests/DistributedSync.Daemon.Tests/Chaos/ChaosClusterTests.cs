using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.TestKit.Chaos;
using DistributedSync.TestKit.Faults;

namespace DistributedSync.Daemon.Tests.Chaos;

/// <summary>The fault harness's own moving parts against the real daemon process: daemon kill -9 and restart, a blackholed master, a paused node.</summary>
public sealed class ChaosClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _work = Path.Combine(Path.GetTempPath(), "distsync-chaos-tests-" + Guid.NewGuid().ToString("N"));
    private ChaosCluster? _cluster;

    private ChaosCluster Cluster => _cluster!;

    public async ValueTask InitializeAsync()
        => _cluster = await ChaosCluster.StartAsync(_work, cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task DaemonKilledWithSigkill_RestartsAndServesWhatWasAcknowledged()
    {
        var (term, _) = await WaitForMasterAsync(_ => true);
        Assert.Equal(HttpStatusCode.Created, await PostAsync(1, "majority"));
        var firstPid = Cluster.Daemon.ProcessId;

        Cluster.Daemon.Kill();
        Assert.True(Cluster.Daemon.HasExited);
        await Cluster.Daemon.RestartAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEqual(firstPid, Cluster.Daemon.ProcessId);
        var (after, _) = await WaitForMasterAsync(_ => true);
        Assert.True(after >= term, $"the term went back from {term} to {after}");
        using var read = await Cluster.Daemon.Http.GetAsync(new Uri("/collections/set/documents/1", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task MasterBlackholed_AnotherNodeIsElectedInAHigherTerm_AndHealingBringsItBack()
    {
        var (term, master) = await WaitForMasterAsync(_ => true);

        Cluster.Proxies[master - 1].SetFault(Fault.Blackhole);
        var (newTerm, newMaster) = await WaitForMasterAsync(m => m != master);
        Assert.True(newTerm > term, $"new master {newMaster} in term {newTerm}, not above {term}");
        Assert.Equal(HttpStatusCode.Created, await PostAsync(2, "majority"));

        await Cluster.HealAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(async () => (await StatusAsync())?.RootElement.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("alive").GetBoolean() && n.GetProperty("lagOps").GetInt64() == 0) == true, Deadline, "every node alive and caught up after healing");
    }

    [Fact]
    public async Task BothSlavesPaused_MajorityWritesAreNotAcknowledged_W1WritesAre()
    {
        var (_, master) = await WaitForMasterAsync(_ => true);
        var slaves = Enumerable.Range(0, 3).Where(i => i != master - 1).ToList();
        foreach (var slave in slaves)
        {
            await Cluster.Nodes[slave].PauseAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.Created, await PostAsync(10, "1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await PostAsync(11, "majority"));

        await Cluster.HealAsync(TestContext.Current.CancellationToken);
        foreach (var slave in slaves)
        {
            await Wait.UntilAsync(
                async () => (await NodeSnapshot.ReadAsync(Cluster.Direct(slave), slave, Cluster.Database, Cluster.MetadataDatabase, "set", TestContext.Current.CancellationToken)).Values.IsSupersetOf([10, 11]),
                Deadline,
                $"the w=1 write and the timed-out majority write (which \"may still be applied\") reach healed slave node{slave + 1}");
        }
    }

    private async Task<HttpStatusCode> PostAsync(long value, string w)
    {
        using var content = new StringContent("{\"_id\": " + value + "}", Encoding.UTF8, "application/json");
        using var response = await Cluster.Daemon.Http.PostAsync(new Uri($"/collections/set/documents?w={w}&wtimeoutMS=1000", UriKind.Relative), content, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private async Task<JsonDocument?> StatusAsync()
    {
        try
        {
            return await Cluster.Daemon.Http.GetFromJsonAsync<JsonDocument>(new Uri("/status", UriKind.Relative), TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private async Task<(long Term, int Master)> WaitForMasterAsync(Func<int, bool> condition)
    {
        (long, int) found = default;
        await Wait.UntilAsync(async () =>
        {
            using var status = await StatusAsync();
            if (status?.RootElement.GetProperty("masterId") is { ValueKind: JsonValueKind.Number } id && condition(id.GetInt32()))
            {
                found = (status.RootElement.GetProperty("term").GetInt64(), id.GetInt32());
                return true;
            }

            return false;
        }, Deadline, "a master matching the condition");
        return found;
    }
}
