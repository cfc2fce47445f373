using System.Globalization;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>
/// A place in the document being updated: a field of a document or an element of an array,
/// which may not exist yet. Setting a value in a place whose parents are missing creates them
/// (as documents, padding arrays with nulls up to a numeric index); where a parent is a scalar,
/// or an array addressed by a non-numeric name, creation fails with mongod's PathNotViable.
/// </summary>
internal sealed class Slot
{
    /// <summary>mongod refuses to pad an array by more than this many nulls.</summary>
    public const int MaxPadding = 1_500_000;

    private Slot(Slot? parent, string key, BsonValue? current)
    {
        Parent = parent;
        Key = key;
        Current = current;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    /// <summary>The enclosing place (null for the document itself).</summary>
    public Slot? Parent { get; }

    /// <summary>The field name or array index of this place in its parent.</summary>
    public string Key { get; }

    /// <summary>The value here, or null when nothing is there (yet).</summary>
    public BsonValue? Current { get; private set; }

    /// <summary>Number of path components from the document to here.</summary>
    public int Depth { get; }

    /// <summary>The dotted path from the document root.</summary>
    public string Path => Parent is null ? string.Empty : Parent.Parent is null ? Key : Parent.Path + "." + Key;

    /// <summary>The first component of the path (e.g. "_id"), or "" for the root.</summary>
    public string TopField => Parent is null ? string.Empty : Parent.Parent is null ? Key : Parent.TopField;

    /// <summary>The root place of a document.</summary>
    public static Slot ForDocument(BsonDocument doc) => new(null, string.Empty, doc);

    /// <summary>The place <paramref name="key"/> inside this one.</summary>
    public Slot Child(string key)
    {
        BsonValue? value = Current switch
        {
            BsonDocument d => d.GetValueOrDefault(key),
            BsonArray a when PathSupport.TryParseIndex(key, out var i) && i < a.Count => a[i],
            _ => null,
        };
        return new Slot(this, key, value);
    }

    /// <summary>The place of element <paramref name="index"/> of the array held here.</summary>
    public Slot Element(int index) => Child(index.ToString(CultureInfo.InvariantCulture));

    /// <summary>Stores a value here, creating missing parents.</summary>
    public void Set(BsonValue value)
    {
        var container = Parent!.EnsureContainer(this);
        if (container is BsonDocument doc)
        {
            doc.Set(Key, value);
        }
        else
        {
            var array = (BsonArray)container;
            PathSupport.TryParseIndex(Key, out var index);
            if (index < array.Count)
            {
                array[index] = value;
            }
            else
            {
                if (index - array.Count > MaxPadding)
                {
                    throw new QueryException(QueryErrorCodes.CannotBackfillArray, $"can't backfill more than {MaxPadding} elements");
                }

                while (array.Count < index)
                {
                    array.Add(BsonNull.Value);
                }

                array.Add(value);
            }
        }

        Current = value;
    }

    /// <summary>Removes the field (an array element becomes null, as mongod's $unset does).</summary>
    public void Remove()
    {
        if (Current is null || Parent is null)
        {
            return;
        }

        switch (Parent.Current)
        {
            case BsonDocument d:
                d.Remove(Key);
                Current = null;
                break;
            case BsonArray a:
                PathSupport.TryParseIndex(Key, out var i);
                a[i] = BsonNull.Value;
                Current = BsonNull.Value;
                break;
        }
    }

    /// <summary>True when the parent is an array (this place is an array element).</summary>
    public bool IsArrayElement => Parent?.Current is BsonArray;

    private BsonValue EnsureContainer(Slot child)
    {
        switch (Current)
        {
            case BsonDocument:
                return Current;
            case BsonArray when PathSupport.IsAllDigits(child.Key):
                return Current;
            case null when Parent is not null:
                Set(new BsonDocument());
                return Current!;
            default:
                throw new QueryException(
                    QueryErrorCodes.PathNotViable,
                    $"Cannot create field '{child.Key}' in element {{{BsonText.Element(Key, Current!)}}}");
        }
    }
}
