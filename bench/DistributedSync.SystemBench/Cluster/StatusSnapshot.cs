using System.Text.Json;

namespace DistributedSync.SystemBench.Cluster;

/// <summary>A node in <c>GET /status</c>.</summary>
internal sealed record NodeSnapshot(int Id, bool Alive, string Role, long Term, long AppliedTerm, long AppliedIndex, long LagOps, ResyncSnapshot? Resync);

/// <summary>The <c>resync</c> object of a node while it is <c>resyncing</c> (when the daemon reports it).</summary>
internal sealed record ResyncSnapshot(long Copied, long Total, double Rate);

/// <summary>A parsed <c>GET /status</c> answer and when it arrived (Stopwatch timestamp).</summary>
internal sealed record StatusSnapshot(long Term, int? MasterId, IReadOnlyList<NodeSnapshot> Nodes, long At)
{
    public NodeSnapshot Node(int id) => Nodes.First(n => n.Id == id);

    /// <summary>A master is elected and every node is up and either the master or a slave with no lag.</summary>
    public bool AllInSync => MasterId is not null
        && Nodes.All(n => n.Alive && (n.Id == MasterId ? n.Role == "master" : n.Role == "slave" && n.LagOps == 0));

    /// <summary>The ids of the slaves (every node but the master).</summary>
    public IReadOnlyList<int> SlaveIds => Nodes.Where(n => n.Id != MasterId).Select(n => n.Id).ToList();

    public static StatusSnapshot Parse(string json, long at)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var master = root.GetProperty("masterId");
        var nodes = new List<NodeSnapshot>();
        foreach (var node in root.GetProperty("nodes").EnumerateArray())
        {
            var applied = node.GetProperty("applied");
            ResyncSnapshot? resync = null;
            if (node.TryGetProperty("resync", out var r) && r.ValueKind == JsonValueKind.Object)
            {
                resync = new ResyncSnapshot(r.GetProperty("copied").GetInt64(), r.GetProperty("total").GetInt64(), r.GetProperty("rate").GetDouble());
            }

            nodes.Add(new NodeSnapshot(
                node.GetProperty("id").GetInt32(),
                node.GetProperty("alive").GetBoolean(),
                node.GetProperty("role").GetString() ?? "",
                node.GetProperty("term").GetInt64(),
                applied.GetProperty("t").GetInt64(),
                applied.GetProperty("i").GetInt64(),
                node.GetProperty("lagOps").GetInt64(),
                resync));
        }

        return new StatusSnapshot(
            root.GetProperty("term").GetInt64(),
            master.ValueKind == JsonValueKind.Number ? master.GetInt32() : null,
            nodes,
            at);
    }

    public override string ToString()
        => $"term {Term}, master {MasterId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: "
           + string.Join("; ", Nodes.Select(n => $"{n.Id} {n.Role}{(n.Alive ? "" : " (dead)")} t{n.Term} applied {n.AppliedTerm}:{n.AppliedIndex} lag {n.LagOps}"));
}
