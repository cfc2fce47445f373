using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace DistributedSync.Bson;

/// <summary>A BSON array: an ordered list of values (encoded as a document with keys "0", "1", ...).</summary>
public sealed class BsonArray : BsonValue, IList<BsonValue>, IReadOnlyList<BsonValue>
{
    private readonly List<BsonValue> _items;

    /// <summary>Creates an empty array.</summary>
    public BsonArray() => _items = [];

    /// <summary>Creates an empty array with room for <paramref name="capacity"/> values.</summary>
    public BsonArray(int capacity) => _items = new List<BsonValue>(capacity);

    /// <summary>Creates an array of the given values.</summary>
    public BsonArray(IEnumerable<BsonValue> values) => _items = [.. values];

    /// <inheritdoc />
    public override BsonType Type => BsonType.Array;

    /// <inheritdoc cref="ICollection{T}.Count" />
    public int Count => _items.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <inheritdoc cref="IList{T}.this" />
    public BsonValue this[int index]
    {
        get => _items[index];
        set => _items[index] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc />
    public void Add(BsonValue item) => _items.Add(item ?? throw new ArgumentNullException(nameof(item)));

    /// <summary>Appends several values.</summary>
    public void AddRange(IEnumerable<BsonValue> items)
    {
        foreach (var item in items)
        {
            Add(item);
        }
    }

    /// <inheritdoc />
    public void Clear() => _items.Clear();

    /// <inheritdoc />
    public bool Contains(BsonValue item) => _items.Contains(item);

    /// <inheritdoc />
    public void CopyTo(BsonValue[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public int IndexOf(BsonValue item) => _items.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, BsonValue item) => _items.Insert(index, item ?? throw new ArgumentNullException(nameof(item)));

    /// <inheritdoc />
    public bool Remove(BsonValue item) => _items.Remove(item);

    /// <inheritdoc />
    public void RemoveAt(int index) => _items.RemoveAt(index);

    /// <summary>A deep copy.</summary>
    public BsonArray DeepClone()
    {
        var copy = new BsonArray(_items.Count);
        foreach (var v in _items)
        {
            copy._items.Add(BsonDocument.CloneValue(v));
        }

        return copy;
    }

    /// <inheritdoc />
    public IEnumerator<BsonValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not BsonArray a || a.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < _items.Count; i++)
        {
            if (!_items[i].Equals(a._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in _items)
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }
}
