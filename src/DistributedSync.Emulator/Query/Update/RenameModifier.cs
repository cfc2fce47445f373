using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>
/// <c>$rename: {from: "to"}</c>, applied at the destination path: moves the source value there
/// and removes the source. Neither path may go through an array.
/// </summary>
internal sealed class RenameModifier(string from, string to) : ModifierNode
{
    private readonly string[] _source = PathSupport.Split(from);
    private readonly string[] _destination = PathSupport.Split(to);

    public override string Operator => "$rename";

    protected override bool ApplyExisting(Slot slot, UpdateContext context) => Move(slot, context);

    protected override bool ApplyMissing(Slot slot, UpdateContext context) => Move(slot, context);

    private bool Move(Slot slot, UpdateContext context)
    {
        var doc = context.Document;
        BsonValue current = doc;
        BsonDocument? parent = null;
        for (var i = 0; i < _source.Length; i++)
        {
            if (current is BsonArray)
            {
                throw QueryException.BadValue(
                    $"The source field cannot be an array element, '{from}' in doc with {BsonText.Element(_source[0], doc[_source[0]])} has an array field called '{_source[i - 1]}'");
            }

            if (current is not BsonDocument d || !d.TryGetValue(_source[i], out var next))
            {
                return false;
            }

            parent = d;
            current = next;
        }

        CheckDestination(doc);
        if (!context.IsInsert && _source[0] == "_id")
        {
            throw new QueryException(QueryErrorCodes.ImmutableField, $"Performing an update on the path '{from}' would modify the immutable field '_id'");
        }

        parent!.Remove(_source[^1]);
        slot.Set(current);
        return true;
    }

    private void CheckDestination(BsonDocument doc)
    {
        BsonValue current = doc;
        for (var i = 0; i < _destination.Length - 1; i++)
        {
            if (current is not BsonDocument d || !d.TryGetValue(_destination[i], out var next))
            {
                return;
            }

            if (next is BsonArray)
            {
                throw QueryException.BadValue(
                    $"The destination field cannot be an array element, '{to}' in doc with {BsonText.Element(_destination[0], doc[_destination[0]])} has an array field called '{_destination[i]}'");
            }

            current = next;
        }
    }
}
