namespace DistributedSync.Replication.Cluster;

/// <summary>The working state while one event is decided: a view that is replaced (never mutated) and the commands so far.</summary>
internal sealed class DecisionContext(ClusterOptions options, ClusterView view, DateTimeOffset now)
{
    public ClusterOptions Options { get; } = options;

    public DateTimeOffset Now { get; } = now;

    public ClusterView View { get; set; } = view;

    public List<ClusterCommand> Commands { get; } = [];

    public int Majority => Options.Majority;

    public void Emit(ClusterCommand command) => Commands.Add(command);

    public NodeView Node(int id) => View.Node(id);

    public bool TryNode(int id, out NodeView node) => View.TryGetNode(id, out node);

    public void Update(int id, Func<NodeView, NodeView> change) => View = View.WithNode(change(View.Node(id)));

    public IEnumerable<NodeView> UpNodes => View.Nodes.Where(n => n.IsUp);

    public void ObserveTerm(long term)
    {
        if (term > View.HighestTerm)
        {
            View = View with { HighestTerm = term };
        }
    }

    /// <summary>Ends the node's replication task (host and view).</summary>
    public void StopTask(int id)
    {
        if (Node(id).Task.Kind != SyncTaskKind.None)
        {
            Emit(new StopTailing(id));
            Update(id, n => n with { Task = SyncTask.None });
        }
    }

    public void StopAllTasks()
    {
        foreach (var node in View.Nodes)
        {
            StopTask(node.Id);
        }
    }

    public void SetTask(int id, SyncTask task) => Update(id, n => n with { Task = task, TaskStartedAt = Now });
}
