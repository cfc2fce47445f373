using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Aggregation;

namespace DistributedSync.Emulator.Query.Projection;

internal sealed partial class ProjectionSpec
{
    /// <summary>
    /// Inclusion: the fields named in the projection, in the input's order (arrays are walked
    /// element by element, dropping non-documents), then the computed fields in specification
    /// order (created even where the input has nothing).
    /// </summary>
    private static BsonDocument Include(ProjectionNode node, BsonDocument input, ExpressionContext context)
    {
        var output = new BsonDocument();
        foreach (var element in input)
        {
            if (!node.TryGetChild(element.Name, out var child))
            {
                continue;
            }

            switch (child.Kind)
            {
                case ProjectionKind.Include:
                    output.Add(element.Name, element.Value);
                    break;
                case ProjectionKind.Slice:
                    output.Add(element.Name, Slice(child, element.Value));
                    break;
                case ProjectionKind.Inner:
                    if (element.Value is BsonDocument sub)
                    {
                        output.Add(element.Name, Include(child, sub, context));
                    }
                    else if (element.Value is BsonArray array)
                    {
                        output.Add(element.Name, IncludeArray(child, array, context));
                    }

                    break;
            }
        }

        if (node.HasComputed)
        {
            AddComputed(node, input, output, context);
        }

        return output;
    }

    private static BsonArray IncludeArray(ProjectionNode node, BsonArray input, ExpressionContext context)
    {
        var output = new BsonArray(input.Count);
        foreach (var item in input)
        {
            switch (item)
            {
                case BsonDocument d:
                    output.Add(Include(node, d, context));
                    break;
                case BsonArray nested:
                    output.Add(IncludeArray(node, nested, context));
                    break;
                default:
                    if (node.HasComputed)
                    {
                        output.Add(Include(node, [], context));
                    }

                    break;
            }
        }

        return output;
    }

    private static void AddComputed(ProjectionNode node, BsonDocument input, BsonDocument output, ExpressionContext context)
    {
        foreach (var name in node.Order)
        {
            var child = node.Child(name);
            if (!child.HasComputed)
            {
                continue;
            }

            if (child.Kind == ProjectionKind.Expression)
            {
                var value = child.Expression!.Evaluate(context);
                if (value is null)
                {
                    output.Remove(name);
                }
                else
                {
                    output.Set(name, value);
                }
            }
            else if (!output.Contains(name) || output[name] is not (BsonDocument or BsonArray))
            {
                var source = input.GetValueOrDefault(name) as BsonDocument ?? [];
                output.Set(name, Include(child, source, context));
            }
        }
    }

    /// <summary>Exclusion: everything except the excluded paths (walking arrays, keeping scalars).</summary>
    private static BsonDocument Exclude(ProjectionNode node, BsonDocument input)
    {
        var output = new BsonDocument(input.Count);
        foreach (var element in input)
        {
            if (!node.TryGetChild(element.Name, out var child))
            {
                output.Add(element.Name, element.Value);
                continue;
            }

            switch (child.Kind)
            {
                case ProjectionKind.Exclude:
                case ProjectionKind.ElemMatch:
                    break;
                case ProjectionKind.Slice:
                    output.Add(element.Name, Slice(child, element.Value));
                    break;
                case ProjectionKind.Inner:
                    output.Add(element.Name, ExcludeValue(child, element.Value));
                    break;
                default:
                    output.Add(element.Name, element.Value);
                    break;
            }
        }

        return output;
    }

    private static BsonValue ExcludeValue(ProjectionNode node, BsonValue value) => value switch
    {
        BsonDocument d => Exclude(node, d),
        BsonArray a => new BsonArray(a.Select(item => ExcludeValue(node, item))),
        _ => value,
    };

    /// <summary>The find <c>$slice</c>: first/last n elements, or [skip, limit]; non-arrays unchanged.</summary>
    private static BsonValue Slice(ProjectionNode node, BsonValue value)
    {
        if (value is not BsonArray array)
        {
            return value;
        }

        int start;
        int count;
        if (node.SliceSkip is { } skip)
        {
            start = skip >= 0 ? Math.Min(skip, array.Count) : Math.Max(0, array.Count + skip);
            count = Math.Min(node.SliceLimit, array.Count - start);
        }
        else if (node.SliceLimit >= 0)
        {
            start = 0;
            count = Math.Min(node.SliceLimit, array.Count);
        }
        else
        {
            count = (int)Math.Min(-(long)node.SliceLimit, array.Count);
            start = array.Count - count;
        }

        var result = new BsonArray(count);
        for (var i = start; i < start + count; i++)
        {
            result.Add(array[i]);
        }

        return result;
    }

    /// <summary>The find <c>$elemMatch</c> projections: the first matching element, after the other fields.</summary>
    private void AppendElemMatches(BsonDocument input, BsonDocument output)
    {
        foreach (var name in _root.Order)
        {
            var child = _root.Child(name);
            if (child.Kind != ProjectionKind.ElemMatch || input.GetValueOrDefault(name) is not BsonArray array)
            {
                continue;
            }

            foreach (var item in array)
            {
                if (child.ElemMatch!.Matches(new BsonDocument(name, new BsonArray { item })))
                {
                    output.Set(name, new BsonArray { item });
                    break;
                }
            }
        }
    }
}
