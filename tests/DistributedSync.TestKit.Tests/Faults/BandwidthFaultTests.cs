using System.Diagnostics;
using DistributedSync.TestKit.Faults;
using DistributedSync.TestKit.Tests.Support;
using static DistributedSync.TestKit.Tests.Support.SocketTesting;

namespace DistributedSync.TestKit.Tests.Faults;

public sealed class BandwidthFaultTests
{
    [Fact]
    public async Task Bandwidth_256KiBAt512KiBPerSecond_TakesAtLeast400Ms()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        proxy.SetFault(Fault.Bandwidth(512 * 1024));
        using var client = await ConnectAsync(proxy.Port);
        var data = RandomBytes(256 * 1024, seed: 9);

        var clock = Stopwatch.StartNew();
        var receiving = ReceiveExactlyAsync(client, data.Length);
        await SendAllAsync(client, data);
        var echoed = await receiving;
        clock.Stop();

        Assert.Equal(data, echoed);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"256 KiB took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Bandwidth_HealedWhileThrottled_RestFlowsAtFullSpeed()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        proxy.SetFault(Fault.Bandwidth(1024));
        using var client = await ConnectAsync(proxy.Port);
        var data = RandomBytes(1024 * 1024, seed: 10);

        var receiving = ReceiveExactlyAsync(client, data.Length);
        var sending = SendAllAsync(client, data);
        await WaitUntilAsync(() => proxy.HeldChunks >= 1, "a chunk waits for tokens");
        proxy.Heal();

        // At 1 KiB/s the mebibyte would take over 17 minutes; the receive gives up after 30 s.
        await sending;
        Assert.Equal(data, await receiving);
    }
}
