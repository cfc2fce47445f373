using DistributedSync.Emulator.Query.Aggregation;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Projection;

/// <summary>What a node of a projection tree does with its field.</summary>
internal enum ProjectionKind
{
    /// <summary>A sub-projection: the children say what to do inside the field.</summary>
    Inner,

    /// <summary><c>field: 1</c>.</summary>
    Include,

    /// <summary><c>field: 0</c>.</summary>
    Exclude,

    /// <summary>A computed field (literal, field path or operator expression).</summary>
    Expression,

    /// <summary>The find-only <c>$slice</c>.</summary>
    Slice,

    /// <summary>The find-only <c>$elemMatch</c> (top-level fields only).</summary>
    ElemMatch,
}

/// <summary>One node of a parsed projection.</summary>
internal sealed class ProjectionNode(ProjectionKind kind)
{
    private readonly Dictionary<string, ProjectionNode> _children = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public ProjectionKind Kind { get; } = kind;

    public AggExpression? Expression { get; init; }

    public int? SliceSkip { get; init; }

    public int SliceLimit { get; init; }

    public FilterMatcher? ElemMatch { get; init; }

    /// <summary>Child names in specification order.</summary>
    public IReadOnlyList<string> Order => _order;

    /// <summary>True when this subtree holds computed fields (which exist even where the input has nothing).</summary>
    public bool HasComputed { get; private set; }

    public bool TryGetChild(string name, out ProjectionNode child) => _children.TryGetValue(name, out child!);

    public ProjectionNode Child(string name) => _children[name];

    /// <summary>Adds a node at a dotted path below this one, with mongod's path-collision errors.</summary>
    public void AddAtPath(string[] path, int index, ProjectionNode node, string fullPath)
    {
        var name = path[index];
        var exists = _children.TryGetValue(name, out var child);
        if (index == path.Length - 1)
        {
            if (exists)
            {
                throw new QueryException(31250, "Path collision at " + fullPath);
            }

            Attach(name, node);
            return;
        }

        if (!exists)
        {
            child = new ProjectionNode(ProjectionKind.Inner);
            Attach(name, child);
        }
        else if (child!.Kind != ProjectionKind.Inner)
        {
            throw new QueryException(31249, $"Path collision at {fullPath} remaining portion {string.Join('.', path[(index + 1)..])}");
        }

        child!.AddAtPath(path, index + 1, node, fullPath);
    }

    /// <summary>The inner node at a dotted path, creating inner nodes where absent.</summary>
    public ProjectionNode InnerAtPath(string[] path, string fullPath)
    {
        var current = this;
        for (var i = 0; i < path.Length; i++)
        {
            if (!current.TryGetChild(path[i], out var child))
            {
                child = new ProjectionNode(ProjectionKind.Inner);
                current.Attach(path[i], child);
            }
            else if (child.Kind != ProjectionKind.Inner)
            {
                throw i == path.Length - 1
                    ? new QueryException(31250, "Path collision at " + fullPath)
                    : new QueryException(31249, $"Path collision at {fullPath} remaining portion {string.Join('.', path[(i + 1)..])}");
            }

            current = child;
        }

        return current;
    }

    /// <summary>Recomputes <see cref="HasComputed"/> for this subtree after parsing.</summary>
    public bool Seal()
    {
        var computed = Kind == ProjectionKind.Expression;
        foreach (var child in _children.Values)
        {
            computed |= child.Seal();
        }

        HasComputed = computed;
        return computed;
    }

    public bool RemoveChild(string name) => _children.Remove(name) && _order.Remove(name);

    private void Attach(string name, ProjectionNode node)
    {
        _children[name] = node;
        _order.Add(name);
    }
}
