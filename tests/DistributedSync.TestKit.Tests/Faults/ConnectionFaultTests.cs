using System.Text;
using DistributedSync.TestKit.Faults;
using DistributedSync.TestKit.Tests.Support;
using static DistributedSync.TestKit.Tests.Support.SocketTesting;

namespace DistributedSync.TestKit.Tests.Faults;

public sealed class ConnectionFaultTests
{
    private static readonly TimeSpan ShortRead = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task DropNew_NewConnectionSeesEndOfStream_ExistingOneStillEchoes()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var existing = await ConnectAsync(proxy.Port);
        Assert.Equal(new byte[] { 1 }, await SocketTesting.EchoAsync(existing, [1]));

        proxy.SetFault(Fault.DropNew);

        Assert.Contains(await NewConnectionOutcomeAsync(proxy.Port), new[] { ReadOutcome.EndOfStream, ReadOutcome.SocketError });
        Assert.Equal(new byte[] { 2, 3 }, await SocketTesting.EchoAsync(existing, [2, 3]));
        Assert.Equal(1, proxy.ActiveConnections);

        proxy.Heal();
        using var fresh = await ConnectAsync(proxy.Port);
        Assert.Equal(new byte[] { 4 }, await SocketTesting.EchoAsync(fresh, [4]));
    }

    [Fact]
    public async Task Blackhole_NothingComesBack_ThenHealAndConnectionsWorkAgain()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var existing = await ConnectAsync(proxy.Port);
        Assert.Equal(new byte[] { 1 }, await SocketTesting.EchoAsync(existing, [1]));

        proxy.SetFault(Fault.Blackhole);
        await SendAllAsync(existing, "lost"u8.ToArray());
        var pending = ReadOneAsync(existing);
        using var accepted = await ConnectAsync(proxy.Port);
        await SendAllAsync(accepted, "gone"u8.ToArray());
        var acceptedPending = ReadOneAsync(accepted);

        Assert.Equal(ReadOutcome.Timeout, await OutcomeAsync(pending, ShortRead));
        Assert.Equal(ReadOutcome.Timeout, await OutcomeAsync(acceptedPending, ShortRead));
        await WaitUntilAsync(() => proxy.BytesDiscarded == 8, "both writes are read and discarded");
        Assert.Equal(1, echo.BytesReceived);

        proxy.Heal();
        using var fresh = await ConnectAsync(proxy.Port);
        Assert.Equal(new byte[] { 5, 6 }, await SocketTesting.EchoAsync(fresh, [5, 6]));

        // Connections that stayed open forward again; what was sent during the blackhole is lost.
        await SendAllAsync(existing, "xy"u8.ToArray());
        Assert.Equal(ReadOutcome.Data, await OutcomeAsync(pending, Patience));
        Assert.Equal("y", Encoding.ASCII.GetString(await ReceiveExactlyAsync(existing, 1)));
        await SendAllAsync(accepted, "z"u8.ToArray());
        Assert.Equal(ReadOutcome.Data, await OutcomeAsync(acceptedPending, Patience));
        Assert.Equal(1 + 2 + 2 + 1, echo.BytesReceived);
    }

    [Fact]
    public async Task Reset_OpenConnectionsFailAndAreCountedDown_NewOnesAreResetToo()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var first = await ConnectAsync(proxy.Port);
        using var second = await ConnectAsync(proxy.Port);
        Assert.Equal(new byte[] { 1 }, await SocketTesting.EchoAsync(first, [1]));
        Assert.Equal(new byte[] { 2 }, await SocketTesting.EchoAsync(second, [2]));
        Assert.Equal(2, proxy.ActiveConnections);
        var firstRead = ReadOneAsync(first);

        proxy.SetFault(Fault.Reset);

        Assert.Equal(ReadOutcome.SocketError, await OutcomeAsync(firstRead, Patience));
        Assert.Equal(ReadOutcome.SocketError, await OutcomeAsync(ReadOneAsync(second), Patience));
        await WaitUntilAsync(() => proxy.ActiveConnections == 0, "reset connections are counted down");

        Assert.Contains(await NewConnectionOutcomeAsync(proxy.Port), new[] { ReadOutcome.SocketError, ReadOutcome.EndOfStream });
        Assert.Equal(0, proxy.ActiveConnections);

        proxy.Heal();
        using var fresh = await ConnectAsync(proxy.Port);
        Assert.Equal(new byte[] { 3 }, await SocketTesting.EchoAsync(fresh, [3]));
    }

    [Fact]
    public async Task Reset_UpstreamDead_ResetsWaitingAndNewConnections()
    {
        int deadPort;
        await using (var gone = EchoServer.Start())
        {
            deadPort = gone.Port;
        }

        await using var proxy = FaultProxy.Start(deadPort);
        Assert.Contains(await NewConnectionOutcomeAsync(proxy.Port), new[] { ReadOutcome.SocketError, ReadOutcome.EndOfStream });
        await WaitUntilAsync(() => proxy.ActiveConnections == 0, "the refused connection is counted down");

        // Accepted during a blackhole: no upstream connection yet, the client just waits.
        proxy.SetFault(Fault.Blackhole);
        using var waiting = await ConnectAsync(proxy.Port);
        await WaitUntilAsync(() => proxy.ActiveConnections == 1, "the blackholed connection is accepted");
        var waitingRead = ReadOneAsync(waiting);

        proxy.SetFault(Fault.Reset);

        Assert.Equal(ReadOutcome.SocketError, await OutcomeAsync(waitingRead, Patience));
        Assert.Contains(await NewConnectionOutcomeAsync(proxy.Port), new[] { ReadOutcome.SocketError, ReadOutcome.EndOfStream });
        await WaitUntilAsync(() => proxy.ActiveConnections == 0, "reset connections are counted down");
    }
}
