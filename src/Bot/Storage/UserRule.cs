using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Storage;

/// <summary>
/// An invalidation rule a user keeps in force for one symbol (<c>/rule add</c>): which rule (R1 to R5) and the
/// parameters the user changed from the defaults. Evaluation state is derived from the stored series, not kept here.
/// </summary>
public sealed class UserRule
{
    /// <summary>Global id shown as <c>#7</c>; queries filter on <see cref="OwnerId"/>.</summary>
    public long Id { get; set; }
    /// <summary>The <see cref="ChatUser"/> that set it.</summary>
    public long OwnerId { get; set; }
    /// <summary>Venue whose series the rule reads.</summary>
    public Venue Venue { get; set; }
    /// <summary>Native perpetual symbol.</summary>
    public required string Symbol { get; set; }
    /// <summary>Rule code, <c>R1</c> to <c>R5</c>.</summary>
    public required string Rule { get; set; }
    /// <summary>Changed parameters as <c>name=value</c> pairs separated by spaces (invariant numbers); empty for all defaults.</summary>
    public string Parameters { get; set; } = "";
    /// <summary>When it was added.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Longest parameter text stored.</summary>
    public const int MaxParametersLength = 256;
    /// <summary>Rules one user may keep.</summary>
    public const int MaxPerUser = 100;
}
