using DistributedSync.TestKit.Faults;

namespace DistributedSync.TestKit.Tests.Faults;

public sealed class FaultTests
{
    public static TheoryData<Fault, string> Descriptions => new()
    {
        { Fault.None, "none" },
        { Fault.Delay(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(20)), "delay 50ms±20ms" },
        { Fault.Delay(TimeSpan.FromMilliseconds(200)), "delay 200ms" },
        { Fault.Delay(TimeSpan.FromMicroseconds(500)), "delay 0.5ms" },
        { Fault.DropNew, "drop new connections" },
        { Fault.Blackhole, "blackhole" },
        { Fault.Reset, "reset" },
        { Fault.Bandwidth(524_288), "bandwidth 524288 B/s" },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void ToString_IsShortAndReadable(Fault fault, string expected)
    {
        Assert.Equal(expected, fault.ToString());
    }

    [Fact]
    public void Factories_RefuseNegativeDelaysAndRates()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.Delay(TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.Delay(TimeSpan.Zero, TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.Bandwidth(0));
    }

    [Fact]
    public async Task SetFault_IsVisible_AndHealGoesBackToNone()
    {
        await using var proxy = FaultProxy.Start(27017);
        var delay = Fault.Delay(TimeSpan.FromSeconds(1));

        proxy.SetFault(delay);
        Assert.Same(delay, proxy.Fault);
        Assert.Contains("delay 1000ms", proxy.ToString(), StringComparison.Ordinal);

        proxy.Heal();
        Assert.Same(Fault.None, proxy.Fault);
    }
}
