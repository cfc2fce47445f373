using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>Everything that survives a daemon crash: the network, the nodes, the clients and the ghost.</summary>
internal sealed class SimWorld
{
    public SimWorld(int seed, SimConfig config, Action<string>? trace)
    {
        Config = config;
        Clock = new FakeTimeProvider();
        Network = new SimNetwork(new Random(seed), Clock);
        Ghost = new Ghost();
        Client = new SimClient(config.KeyCount);
        Trace = trace;
        for (var id = 1; id <= config.NodeCount; id++)
        {
            Nodes[id] = new SimNode(id, config.OplogCapacity, Ghost);
        }
    }

    public SimConfig Config { get; }

    public FakeTimeProvider Clock { get; }

    public SimNetwork Network { get; }

    public Ghost Ghost { get; }

    public SimClient Client { get; }

    public Dictionary<int, SimNode> Nodes { get; } = [];

    public Action<string>? Trace { get; }

    /// <summary>The current daemon (null while it is down).</summary>
    public SimHost? Host { get; set; }

    /// <summary>An older daemon that was replaced while still running (split brain until it is killed).</summary>
    public SimHost? Zombie { get; set; }
}
