using System.Globalization;
using System.Text;
using DistributedSync.TestKit.Faults;

namespace DistributedSync.TestKit.Chaos;

/// <summary>What a fault episode does.</summary>
public enum FaultKind
{
    /// <summary>kill -9 of a node; it restarts on the same data at the episode's end.</summary>
    KillNode,

    /// <summary>SIGSTOP of a node; SIGCONT at the end.</summary>
    PauseNode,

    /// <summary>The node's proxy accepts but never answers (a network partition as the daemon sees it).</summary>
    Blackhole,

    /// <summary>The node's proxy delays every chunk (fixed plus jitter).</summary>
    Delay,

    /// <summary>The node's proxy resets every connection, open and new.</summary>
    Reset,

    /// <summary>The node's proxy closes new connections at once; open ones keep working.</summary>
    DropNew,

    /// <summary>The node's proxy limits each direction to a few hundred KB/s.</summary>
    Bandwidth,

    /// <summary>kill -9 of the daemon; it restarts at the end.</summary>
    KillDaemon,
}

/// <summary>
/// One fault episode: from <see cref="Start"/> to <see cref="Start"/> + <see cref="Duration"/>
/// (offsets from the workload's start). <see cref="Node"/> is a node index, or -1 for "whichever
/// node is master when the episode starts" (resolved at run time from <c>GET /status</c>).
/// </summary>
public sealed record FaultEpisode(TimeSpan Start, TimeSpan Duration, FaultKind Kind, int Node, Fault? ProxyFault)
{
    /// <summary>The episode's end.</summary>
    public TimeSpan End => Start + Duration;

    /// <summary>"1.20s +0.80s kill node2", for reports.</summary>
    public override string ToString()
    {
        var target = Kind == FaultKind.KillDaemon ? "daemon" : Node < 0 ? "master" : "node" + (Node + 1).ToString(CultureInfo.InvariantCulture);
        var what = ProxyFault is null ? Kind.ToString() : ProxyFault.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{Start.TotalSeconds:0.00}s +{Duration.TotalSeconds:0.00}s {what} {target}");
    }
}

/// <summary>
/// A reproducible random fault schedule: the same seed and settings give the same episodes.
/// At most two episodes overlap, never two on the same target, and every episode ends before
/// the workload does (the run then heals whatever is left and checks convergence).
/// </summary>
public sealed class FaultSchedule
{
    private FaultSchedule(int seed, IReadOnlyList<FaultEpisode> episodes)
    {
        Seed = seed;
        Episodes = episodes;
    }

    /// <summary>The seed it was generated from.</summary>
    public int Seed { get; }

    /// <summary>The episodes, ordered by start.</summary>
    public IReadOnlyList<FaultEpisode> Episodes { get; }

    /// <summary>Generates the schedule for <paramref name="seed"/> over a workload of <paramref name="duration"/> on <paramref name="nodes"/> nodes.</summary>
    public static FaultSchedule Generate(int seed, TimeSpan duration, int nodes = 3)
    {
        var random = new Random(seed);
        var episodes = new List<FaultEpisode>();
        var quietUntil = TimeSpan.FromMilliseconds(random.Next(300, 1_200));
        var end = duration - TimeSpan.FromMilliseconds(500);
        while (true)
        {
            var start = quietUntil + TimeSpan.FromMilliseconds(random.Next(0, 800));
            var length = TimeSpan.FromMilliseconds(random.Next(400, 3_000));
            if (start + length > end)
            {
                break;
            }

            var kind = PickKind(random);
            var node = kind == FaultKind.KillDaemon ? -1 : random.Next(0, 4) == 0 ? -1 : random.Next(0, nodes);
            var overlapping = episodes.Where(e => e.End > start).ToList();
            var sameTarget = overlapping.Any(e => e.Node == node || e.Kind == FaultKind.KillDaemon && kind == FaultKind.KillDaemon || e.Node < 0 || node < 0);
            if (overlapping.Count >= 2 || sameTarget)
            {
                quietUntil = overlapping.Min(e => e.End);
                continue;
            }

            episodes.Add(new FaultEpisode(start, length, kind, node, ProxyFaultFor(kind, random)));
            // Usually wait for this episode to end before the next starts; sometimes overlap.
            quietUntil = random.Next(0, 3) == 0 ? start + TimeSpan.FromMilliseconds(random.Next(100, 600)) : start + length;
        }

        return new FaultSchedule(seed, episodes);
    }

    /// <summary>One line per episode.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"schedule {Seed}: {Episodes.Count} episode(s)");
        foreach (var episode in Episodes)
        {
            text.Append("\n  ").Append(episode);
        }

        return text.ToString();
    }

    private static FaultKind PickKind(Random random) => random.Next(0, 100) switch
    {
        < 25 => FaultKind.KillNode,
        < 38 => FaultKind.PauseNode,
        < 53 => FaultKind.Blackhole,
        < 65 => FaultKind.Delay,
        < 75 => FaultKind.Reset,
        < 82 => FaultKind.DropNew,
        < 88 => FaultKind.Bandwidth,
        _ => FaultKind.KillDaemon,
    };

    private static Fault? ProxyFaultFor(FaultKind kind, Random random) => kind switch
    {
        FaultKind.Blackhole => Fault.Blackhole,
        FaultKind.Delay => Fault.Delay(TimeSpan.FromMilliseconds(random.Next(5, 200)), TimeSpan.FromMilliseconds(random.Next(0, 100))),
        FaultKind.Reset => Fault.Reset,
        FaultKind.DropNew => Fault.DropNew,
        FaultKind.Bandwidth => Fault.Bandwidth(random.Next(64, 512) * 1024L),
        _ => null,
    };
}
