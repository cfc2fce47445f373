using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;

namespace DistributedSync.Emulator.Commands.Stats;

/// <summary>The <c>scale</c> argument of dbStats and collStats (a positive number, 1 by default).</summary>
internal static class ScaleArgument
{
    /// <summary>The scale factor.</summary>
    public static long Parse(BsonDocument command, string commandName)
    {
        var scale = CommandArgs.Int64(command, commandName, "scale") ?? 1;
        if (scale < 1)
        {
            throw new ServerErrorException(51024, $"BSON field 'scale' value must be >= 1, actual value '{scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}'");
        }

        return scale;
    }

    /// <summary>An int when it fits within +-2^30, else a long (mongod's appendNumber).</summary>
    public static BsonValue Number(long value) => value is >= -(1L << 30) and <= 1L << 30 ? (BsonValue)(int)value : value;
}
