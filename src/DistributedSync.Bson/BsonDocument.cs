using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace DistributedSync.Bson;

/// <summary>
/// An ordered BSON document. Field order is preserved exactly as inserted or decoded. Lookups by
/// name are linear for small documents and use a lazily built index for large ones. Setting an
/// existing name replaces its value in place; duplicate names can only arise from decoding bytes
/// that contain them, in which case lookups find the first.
/// </summary>
public sealed class BsonDocument : BsonValue, IEnumerable<BsonElement>
{
    private const int IndexThreshold = 12;
    private readonly List<BsonElement> _elements;
    private Dictionary<string, int>? _index;

    /// <summary>Creates an empty document.</summary>
    public BsonDocument() => _elements = [];

    /// <summary>Creates an empty document with room for <paramref name="capacity"/> fields.</summary>
    public BsonDocument(int capacity) => _elements = new List<BsonElement>(capacity);

    /// <summary>Creates a document with one field.</summary>
    public BsonDocument(string name, BsonValue value)
        : this(1) => Add(name, value);

    /// <summary>Creates a document from elements, in order.</summary>
    public BsonDocument(IEnumerable<BsonElement> elements)
    {
        _elements = [];
        foreach (var e in elements)
        {
            Add(e.Name, e.Value);
        }
    }

    /// <inheritdoc />
    public override BsonType Type => BsonType.Document;

    /// <summary>The number of fields.</summary>
    public int Count => _elements.Count;

    /// <summary>Field names in order.</summary>
    public IEnumerable<string> Names => _elements.Select(e => e.Name);

    /// <summary>Field values in order.</summary>
    public IEnumerable<BsonValue> Values => _elements.Select(e => e.Value);

    /// <summary>Gets a field by name (throws <see cref="KeyNotFoundException"/> when absent) or sets it (replace in place or append).</summary>
    public BsonValue this[string name]
    {
        get => TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"The document has no field '{name}'.");
        set => Set(name, value);
    }

    /// <summary>Gets the element at <paramref name="index"/>.</summary>
    public BsonElement this[int index] => _elements[index];

    /// <summary>Appends a field. Appending a name that exists already is an error (use <see cref="Set"/>).</summary>
    public BsonDocument Add(string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (IndexOf(name) >= 0)
        {
            throw new ArgumentException($"The document already has a field '{name}'.", nameof(name));
        }

        AppendUnchecked(name, value);
        return this;
    }

    /// <summary>Replaces the value of <paramref name="name"/> in place, or appends it.</summary>
    public BsonDocument Set(string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var i = IndexOf(name);
        if (i >= 0)
        {
            _elements[i] = new BsonElement(name, value);
        }
        else
        {
            AppendUnchecked(name, value);
        }

        return this;
    }

    /// <summary>Inserts a field at a position (e.g. <c>_id</c> first).</summary>
    public BsonDocument Insert(int index, string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IndexOf(name) >= 0)
        {
            throw new ArgumentException($"The document already has a field '{name}'.", nameof(name));
        }

        _elements.Insert(index, new BsonElement(name, value));
        _index = null;
        return this;
    }

    /// <summary>Removes a field; returns whether it was present.</summary>
    public bool Remove(string name)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            return false;
        }

        _elements.RemoveAt(i);
        _index = null;
        return true;
    }

    /// <summary>Removes every field.</summary>
    public void Clear()
    {
        _elements.Clear();
        _index = null;
    }

    /// <summary>True when a field named <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Looks a field up by name.</summary>
    public bool TryGetValue(string name, [MaybeNullWhen(false)] out BsonValue value)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            value = null;
            return false;
        }

        value = _elements[i].Value;
        return true;
    }

    /// <summary>The value of <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public BsonValue? GetValueOrDefault(string name, BsonValue? fallback = null)
        => TryGetValue(name, out var v) ? v : fallback;

    /// <summary>Position of the first field named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(name, out var i) ? i : -1;
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_elements);
        for (var i = 0; i < span.Length; i++)
        {
            if (string.Equals(span[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A deep copy: nested documents and arrays are copied too.</summary>
    public BsonDocument DeepClone()
    {
        var copy = new BsonDocument(_elements.Count);
        foreach (var e in _elements)
        {
            copy.AppendUnchecked(e.Name, CloneValue(e.Value));
        }

        return copy;
    }

    /// <inheritdoc />
    public IEnumerator<BsonElement> GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Equal when both have the same fields with equal values in the same order.</summary>
    public override bool Equals([NotNullWhen(true)] BsonValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not BsonDocument d || d.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < _elements.Count; i++)
        {
            var a = _elements[i];
            var b = d._elements[i];
            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal) || !a.Value.Equals(b.Value))
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
        foreach (var e in _elements)
        {
            hash.Add(e.Name, StringComparer.Ordinal);
            hash.Add(e.Value);
        }

        return hash.ToHashCode();
    }

    /// <summary>Appends without the duplicate check; the decoder uses it to keep duplicates as found.</summary>
    internal void AppendUnchecked(string name, BsonValue value)
    {
        _elements.Add(new BsonElement(name, value));
        if (_index is not null)
        {
            _index.TryAdd(name, _elements.Count - 1);
        }
        else if (_elements.Count > IndexThreshold)
        {
            BuildIndex();
        }
    }

    internal static BsonValue CloneValue(BsonValue value) => value switch
    {
        BsonDocument d => d.DeepClone(),
        BsonArray a => a.DeepClone(),
        BsonJavaScriptWithScope j => new BsonJavaScriptWithScope(j.Code, j.Scope.DeepClone()),
        _ => value,
    };

    private void BuildIndex()
    {
        var index = new Dictionary<string, int>(_elements.Count * 2, StringComparer.Ordinal);
        for (var i = 0; i < _elements.Count; i++)
        {
            index.TryAdd(_elements[i].Name, i);
        }

        _index = index;
    }
}
