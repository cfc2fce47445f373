using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>A node of the update tree: an inner node per path component, a modifier at each leaf.</summary>
internal abstract class UpdateNode
{
    /// <summary>Applies the node at <paramref name="slot"/>; returns whether the document changed.</summary>
    public abstract bool Apply(Slot slot, UpdateContext context);
}

/// <summary>
/// An inner node. Children are applied in mongod's order (field names lexicographically, numeric
/// names numerically), then the positional children (<c>$</c>, <c>$[]</c>, <c>$[id]</c>).
/// </summary>
internal sealed class UpdateObjectNode : UpdateNode
{
    private readonly SortedList<string, UpdateNode> _children = new(Comparer<string>.Create(PathSupport.CompareFieldNames));
    private readonly List<(string Name, UpdateNode Node, FilterMatcher? Filter)> _positional = [];

    /// <summary>The child for a path component, if any.</summary>
    public UpdateNode? GetChild(string name)
    {
        if (_children.TryGetValue(name, out var child))
        {
            return child;
        }

        foreach (var p in _positional)
        {
            if (p.Name == name)
            {
                return p.Node;
            }
        }

        return null;
    }

    /// <summary>Adds a child (the parser checks for conflicts first).</summary>
    public void SetChild(string name, UpdateNode node, FilterMatcher? arrayFilter)
    {
        if (IsPositional(name))
        {
            _positional.Add((name, node, arrayFilter));
        }
        else
        {
            _children.Add(name, node);
        }
    }

    /// <summary>True for "$", "$[]" and "$[identifier]".</summary>
    public static bool IsPositional(string name) => name == "$" || (name.StartsWith("$[", StringComparison.Ordinal) && name.EndsWith(']'));

    public override bool Apply(Slot slot, UpdateContext context)
    {
        var changed = false;
        foreach (var (name, child) in _children)
        {
            changed |= child.Apply(slot.Child(name), context);
        }

        foreach (var (name, child, filter) in _positional)
        {
            changed |= name == "$" ? ApplyMatched(slot, child, context) : ApplyToElements(slot, name, child, filter, context);
        }

        return changed;
    }

    private static bool ApplyMatched(Slot slot, UpdateNode child, UpdateContext context)
    {
        if (context.MatchedArrayOffset < 0)
        {
            throw QueryException.BadValue("The positional operator did not find the match needed from the query.");
        }

        return child.Apply(slot.Element(context.MatchedArrayOffset), context);
    }

    private static bool ApplyToElements(Slot slot, string name, UpdateNode child, FilterMatcher? filter, UpdateContext context)
    {
        if (slot.Current is null)
        {
            if (context.IsInsert)
            {
                return false;
            }

            throw QueryException.BadValue($"The path '{slot.Path}' must exist in the document in order to apply array updates.");
        }

        if (slot.Current is not BsonArray array)
        {
            throw QueryException.BadValue($"Cannot apply array updates to non-array element {BsonText.Element(slot.Key, slot.Current)}");
        }

        var changed = false;
        var identifier = name[2..^1];
        for (var i = 0; i < array.Count; i++)
        {
            if (filter is not null && !filter.Matches(new BsonDocument(identifier, array[i])))
            {
                continue;
            }

            changed |= child.Apply(slot.Element(i), context);
        }

        return changed;
    }
}

/// <summary>A leaf: one update operator applied at one path.</summary>
internal abstract class ModifierNode : UpdateNode
{
    /// <summary>The operator name ("$set", ...), for messages.</summary>
    public abstract string Operator { get; }

    /// <summary>
    /// Applies the operator. Any change to <c>_id</c> (outside inserts) is rejected as mongod
    /// does: "Performing an update on the path '_id' would modify the immutable field '_id'".
    /// </summary>
    public sealed override bool Apply(Slot slot, UpdateContext context)
    {
        var changed = slot.Current is null ? ApplyMissing(slot, context) : ApplyExisting(slot, context);
        if (changed && !context.IsInsert && slot.TopField == "_id")
        {
            throw new QueryException(QueryErrorCodes.ImmutableField,
                $"Performing an update on the path '{slot.Path}' would modify the immutable field '_id'");
        }

        return changed;
    }

    /// <summary>The field exists; returns false for a no-op.</summary>
    protected abstract bool ApplyExisting(Slot slot, UpdateContext context);

    /// <summary>The field does not exist; most operators create it, some do nothing.</summary>
    protected abstract bool ApplyMissing(Slot slot, UpdateContext context);
}
