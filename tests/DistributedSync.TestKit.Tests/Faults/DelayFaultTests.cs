using System.Diagnostics;
using DistributedSync.TestKit.Faults;
using DistributedSync.TestKit.Tests.Support;
using static DistributedSync.TestKit.Tests.Support.SocketTesting;

namespace DistributedSync.TestKit.Tests.Faults;

public sealed class DelayFaultTests
{
    [Fact]
    public async Task Delay_200Ms_RoundTripTakesAtLeastTwoHolds()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var client = await ConnectAsync(proxy.Port);
        Assert.Equal(new byte[] { 1 }, await SocketTesting.EchoAsync(client, [1]));

        proxy.SetFault(Fault.Delay(TimeSpan.FromMilliseconds(200)));
        var clock = Stopwatch.StartNew();
        var echoed = await SocketTesting.EchoAsync(client, [2, 3]);
        clock.Stop();

        Assert.Equal(new byte[] { 2, 3 }, echoed);
        // The request and the reply are each held 200 ms.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(380), $"round trip took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Delay_WithJitter_EveryRoundTripTakesAtLeastTheFixedPart()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port, seed: 7);
        proxy.SetFault(Fault.Delay(TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(40)));
        using var client = await ConnectAsync(proxy.Port);

        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(new[] { (byte)i }, await SocketTesting.EchoAsync(client, [(byte)i]));
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(114), $"round trip {i} took {clock.Elapsed.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public void NextHold_StaysWithinDelayPlusJitterAndSpreadsUniformly()
    {
        var fault = Assert.IsType<DelayFault>(Fault.Delay(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(20)));
        var random = new Random(123);

        var holds = Enumerable.Range(0, 20_000).Select(_ => fault.NextHold(random).TotalMilliseconds).ToList();

        Assert.All(holds, h => Assert.InRange(h, 50, 69.9999));
        Assert.InRange(holds.Average(), 59.5, 60.5);
        Assert.True(holds.Min() < 51, "the low end is reached");
        Assert.True(holds.Max() > 69, "the high end is reached");
        // Each fifth of the range gets about a fifth of the draws.
        var buckets = holds.GroupBy(h => (int)((h - 50) / 4)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, buckets.Count);
        Assert.All(buckets.Values, count => Assert.InRange(count, 3_400, 4_600));
    }

    [Fact]
    public void NextHold_SameSeed_SameHolds_OtherSeed_OtherHolds()
    {
        var fault = Assert.IsType<DelayFault>(Fault.Delay(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30)));

        var first = Draw(fault, seed: 5);
        var again = Draw(fault, seed: 5);
        var other = Draw(fault, seed: 6);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void NextHold_NoJitter_IsTheDelay()
    {
        var fault = Assert.IsType<DelayFault>(Fault.Delay(TimeSpan.FromMilliseconds(25)));

        Assert.Equal(TimeSpan.FromMilliseconds(25), fault.NextHold(new Random(1)));
    }

    [Fact]
    public async Task Delay_ManySmallWritesWithJitter_ArriveInOrder()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port, seed: 3);
        proxy.SetFault(Fault.Delay(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10)));
        using var client = await ConnectAsync(proxy.Port);
        var messages = Enumerable.Range(0, 500).Select(i => BitConverter.GetBytes(i)).ToList();

        var receiving = ReceiveExactlyAsync(client, messages.Count * 4);
        foreach (var message in messages)
        {
            await SendAllAsync(client, message);
        }

        Assert.Equal(messages.SelectMany(m => m).ToArray(), await receiving);
    }

    [Fact]
    public async Task Delay_HealedWhileAChunkIsHeld_ChunkIsForwardedAtOnce()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var client = await ConnectAsync(proxy.Port);
        proxy.SetFault(Fault.Delay(TimeSpan.FromMinutes(10)));

        await SendAllAsync(client, new byte[] { 42 });
        await WaitUntilAsync(() => proxy.HeldChunks == 1, "the request is held");
        Assert.Equal(0, echo.BytesReceived);
        proxy.Heal();

        // Without the re-check the byte would come back after 20 minutes; the receive gives up after 30 s.
        Assert.Equal(new byte[] { 42 }, await ReceiveExactlyAsync(client, 1));
        Assert.Equal(Fault.None, proxy.Fault);
        Assert.Equal(0, proxy.HeldChunks);
    }

    private static List<TimeSpan> Draw(DelayFault fault, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 50).Select(_ => fault.NextHold(random))];
    }
}
