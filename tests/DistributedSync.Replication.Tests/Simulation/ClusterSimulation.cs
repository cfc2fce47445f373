using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>The outcome of one seed.</summary>
internal sealed record SimResult(int Seed, string? Check, string? Message, int Step, long TimeMs, SimStats Stats)
{
    public bool Passed => Check is null;
}

/// <summary>What happened during a run (for the report).</summary>
internal sealed class SimStats
{
    public int Steps { get; set; }

    public int Promotions { get; set; }

    public int Rollbacks { get; set; }

    public int Resyncs { get; set; }

    public int DaemonCrashes { get; set; }

    public int NodeCrashes { get; set; }

    public int Partitions { get; set; }

    public int MajorityAcks { get; set; }

    public int Writes { get; set; }

    public int Acknowledged { get; set; }

    public int FailedNotApplied { get; set; }

    public int FailedMaybeApplied { get; set; }

    public int ServingSteps { get; set; }

    public int Takeovers { get; set; }

    public int Zombies { get; set; }
}

/// <summary>
/// Runs one seed: random faults and client writes for <see cref="SimConfig.Steps"/> steps with the
/// invariants checked after each, then heals everything and requires convergence and the final checks.
/// </summary>
internal sealed class ClusterSimulation
{
    private readonly int _seed;
    private readonly SimConfig _config;
    private readonly SimWorld _world;
    private readonly InvariantChecker _checker;
    private readonly ClusterOptions _options;
    private readonly Random _random;
    private readonly SimStats _stats = new();
    private bool _faults = true;

    private ClusterSimulation(int seed, SimConfig config, Action<string>? trace)
    {
        _seed = seed;
        _config = config;
        _world = new SimWorld(seed, config, trace);
        _checker = new InvariantChecker(_world);
        _options = config.Options([.. _world.Nodes.Keys]);
        _random = _world.Network.Random;
        _world.Network.LossRate = _random.NextDouble() * config.MaxLossRate;
        _world.Network.SlowRate = config.SlowMessageRate;
    }

    private SimNetwork Net => _world.Network;

    public static SimResult Run(int seed, SimConfig config, Action<string>? trace = null) => new ClusterSimulation(seed, config, trace).Run();

    private SimResult Run()
    {
        StartDaemon();
        for (var step = 0; step < _config.Steps; step++)
        {
            InjectFaults();
            MaybeWrite();
            Net.RunUntil(Net.NowMs + _config.StepMs);
            _world.Zombie?.Dispatch(Tick.Instance);
            _world.Host?.Dispatch(Tick.Instance);
            if (_world.Host?.View.AcceptsWrites == true)
            {
                _stats.ServingSteps++;
            }

            _checker.AfterStep();
            if (Failed(step) is { } failure)
            {
                return failure;
            }
        }

        _faults = false;
        Net.HealAll();
        Net.LossRate = 0;
        Net.SlowRate = 0;
        KillZombie();
        foreach (var node in _world.Nodes.Values)
        {
            node.Running = true;
        }

        if (_world.Host is null)
        {
            StartDaemon();
        }

        var limit = Net.NowMs + _config.ConvergenceLimitMs;
        var extra = 0;
        while (!Converged(out _))
        {
            if (Net.NowMs >= limit)
            {
                return Result(_config.Steps + extra, "the cluster converges after healing", Describe());
            }

            Net.RunUntil(Net.NowMs + _config.StepMs);
            _world.Host?.Dispatch(Tick.Instance);
            _checker.AfterStep();
            if (Failed(_config.Steps + extra) is { } failure)
            {
                return failure;
            }

            extra++;
        }

        Converged(out var master);
        _checker.AfterConvergence(master);
        return Failed(_config.Steps + extra) ?? Result(_config.Steps + extra, null, null);
    }

    private void StartDaemon()
    {
        var host = new SimHost(_world, _options, _world.Clock, _stats);
        _world.Host = host;
        host.Dispatch(Tick.Instance);
    }

    private void InjectFaults()
    {
        if (!_faults)
        {
            return;
        }

        foreach (var node in _world.Nodes.Values)
        {
            if (node.Running && _random.NextDouble() < _config.NodeCrashRate)
            {
                node.Running = false;
                _stats.NodeCrashes++;
                Net.Schedule(_random.Next(100, 1500), () => node.Running = true);
            }

            if (_random.NextDouble() < _config.PartitionRate)
            {
                _stats.Partitions++;
                Net.Cut(node.Id, Net.NowMs + _random.Next(100, 1500));
            }
        }

        if (_world.Host is { } current && _world.Zombie is null && _random.NextDouble() < _config.ZombieRate)
        {
            // The daemon's machine drops off the network; a supervisor starts a second daemon; the
            // first comes back with its stale view and acts until it is killed.
            current.IsolatedUntilMs = Net.NowMs + _random.Next(100, 700);
            _world.Zombie = current;
            _world.Host = null;
            _stats.Zombies++;
            Net.Schedule(_random.Next(50, 300), () =>
            {
                if (_world.Host is null)
                {
                    StartDaemon();
                }
            });
            Net.Schedule(_random.Next(500, 2000), KillZombie);
        }

        if (_world.Host is { } host && _random.NextDouble() < _config.DaemonCrashRate)
        {
            host.Alive = false;
            _world.Host = null;
            _stats.DaemonCrashes++;
            Net.Schedule(_random.Next(0, 400), () =>
            {
                if (_world.Host is null)
                {
                    StartDaemon();
                }
            });
        }
    }

    private void KillZombie()
    {
        if (_world.Zombie is { } zombie)
        {
            zombie.Alive = false;
            _world.Zombie = null;
        }
    }

    private void MaybeWrite()
    {
        if (!_faults || _world.Host is not { } host || _random.NextDouble() >= _config.WriteRate)
        {
            return;
        }

        var spec = _world.Client.NewWrite(_random, _config.MajorityShare);
        _stats.Writes++;
        var timeout = TimeSpan.FromMilliseconds(_random.Next(200, 1000));
        host.Dispatch(new WriteRequested(spec.RequestId, new WriteConcern(spec.Majority, timeout)));
    }

    private bool Converged(out int masterId)
    {
        masterId = 0;
        if (_world.Host?.View.Phase is not ServingPhase { Handover: null } serving)
        {
            return false;
        }

        masterId = serving.MasterId;
        if (_config.TakeoverEnabled && masterId != _world.Nodes.Keys.Max())
        {
            return false;
        }

        var master = _world.Nodes[masterId];
        return _world.Nodes.Values.All(n => n.Last == master.Last
                                            && n.Replication.Applied == n.Last
                                            && n.Replication.State == ReplicationState.Consistent);
    }

    private string Describe()
    {
        var phase = _world.Host?.View.Phase.ToString() ?? "daemon down";
        var nodes = string.Join("; ", _world.Nodes.Values.Select(n => $"node {n.Id}: term {n.Term.Term}/{n.Term.MasterId}, last {n.Last}, applied {n.Replication.Applied}, {n.Replication.State}"));
        return $"phase {phase}; {nodes}";
    }

    private SimResult? Failed(int step)
    {
        if (_world.Ghost.Violations.Count == 0)
        {
            return null;
        }

        var (check, message) = _world.Ghost.Violations[0];
        return Result(step, check, message);
    }

    private SimResult Result(int step, string? check, string? message)
    {
        _stats.Steps = step;
        _stats.MajorityAcks = _world.Ghost.MajorityAcks.Count;
        return new SimResult(_seed, check, message, step, Net.NowMs, _stats);
    }
}
