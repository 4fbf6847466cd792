using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerpGuard.Bot.Channels.Discord;

// Discord's shapes (https://discord.com/developers/docs), trimmed to the fields PerpGuard reads or writes. Snowflake ids
// are strings on the wire and stay strings here.

/// <summary>A gateway frame: opcode, data, sequence (dispatches) and event name (dispatches).</summary>
internal sealed record GatewayPayload(int Op, JsonElement D, long? S, string? T);

/// <summary>op 10 Hello.</summary>
internal sealed record GatewayHello(int HeartbeatInterval);

/// <summary>The READY dispatch: what a resume needs, and the application id.</summary>
internal sealed record GatewayReady(string SessionId, string ResumeGatewayUrl, DiscordApplication? Application);

/// <summary>The application, in READY.</summary>
internal sealed record DiscordApplication(string Id);

/// <summary><c>GET /gateway/bot</c>.</summary>
internal sealed record GatewayBotInfo(string Url);

/// <summary>A Discord user.</summary>
internal sealed record DiscordUser(string Id, string? Username, string? GlobalName);

/// <summary>A guild member (wraps the user).</summary>
internal sealed record DiscordMember(DiscordUser? User);

/// <summary>A slash-command option as received: a value, or the options of a subcommand; <c>Focused</c> while autocompleting.</summary>
internal sealed record DiscordOptionValue(string Name, int Type, JsonElement? Value, IReadOnlyList<DiscordOptionValue>? Options, bool? Focused);

/// <summary>An interaction's data: the command and its options, or the pressed component.</summary>
internal sealed record DiscordInteractionData(string? Name, IReadOnlyList<DiscordOptionValue>? Options, string? CustomId);

/// <summary>The message a component sat on.</summary>
internal sealed record DiscordMessageRef(string Id, string? ChannelId);

/// <summary>An INTERACTION_CREATE: type 2 command, 3 component, 4 autocomplete. The user is in <c>Member</c> in guilds and <c>User</c> in DMs.</summary>
internal sealed record DiscordInteraction(string Id, int Type, string Token, string? GuildId, string? ChannelId, DiscordMember? Member, DiscordUser? User,
    DiscordInteractionData? Data, DiscordMessageRef? Message)
{
    /// <summary>Who acted.</summary>
    public DiscordUser? Invoker => Member?.User ?? User;
}

/// <summary>A created channel or message: its id.</summary>
internal sealed record DiscordCreated(string Id);

/// <summary>An error body: Discord's code and message, and on 429 the wait and scope.</summary>
internal sealed record DiscordErrorBody(int? Code, string? Message, double? RetryAfter, bool? Global);

/// <summary>An embed field.</summary>
internal sealed record DiscordEmbedField(string Name, string Value, bool? Inline = null);

/// <summary>An embed footer.</summary>
internal sealed record DiscordEmbedFooter(string Text);

/// <summary>An embed.</summary>
internal sealed record DiscordEmbed(string? Title, string? Description, int? Color, IReadOnlyList<DiscordEmbedField>? Fields, DiscordEmbedFooter? Footer);

/// <summary>An action row (type 1) or a button (type 2).</summary>
internal sealed record DiscordComponent(int Type, IReadOnlyList<DiscordComponent>? Components = null, int? Style = null, string? Label = null, string? CustomId = null);

/// <summary>Which mentions may ping: none, since replies echo what users typed.</summary>
internal sealed record DiscordAllowedMentions(IReadOnlyList<string> Parse);

/// <summary>A message's content (replies, edits, follow-ups, DMs).</summary>
internal sealed record DiscordMessage(string? Content, IReadOnlyList<DiscordEmbed>? Embeds, IReadOnlyList<DiscordComponent>? Components, int? Flags,
    DiscordAllowedMentions? AllowedMentions, string? Nonce = null, bool? EnforceNonce = null);

/// <summary>An interaction callback with a message (types 4, 5, 7) or none (6).</summary>
internal sealed record DiscordInteractionResponse(int Type, DiscordMessage? Data);

/// <summary>A choice: of an option at registration, or an autocomplete suggestion.</summary>
internal sealed record DiscordChoice(string Name, string Value);

/// <summary>The autocomplete callback (type 8).</summary>
internal sealed record DiscordAutocompleteResponse(int Type, DiscordAutocompleteChoices Data);

/// <summary>Autocomplete suggestions (at most 25).</summary>
internal sealed record DiscordAutocompleteChoices(IReadOnlyList<DiscordChoice> Choices);

/// <summary>A slash-command option at registration.</summary>
internal sealed record DiscordCommandOption(int Type, string Name, string Description, bool? Required, IReadOnlyList<DiscordChoice>? Choices, bool? Autocomplete, double? MinValue);

/// <summary>A slash command at registration (CHAT_INPUT, in guilds, the bot's DMs and private channels).</summary>
internal sealed record DiscordCommand(string Name, string Description, int Type, IReadOnlyList<DiscordCommandOption> Options, IReadOnlyList<int> Contexts, IReadOnlyList<int> IntegrationTypes);

/// <summary><c>POST /users/@me/channels</c>.</summary>
internal sealed record DiscordCreateDm(string RecipientId);

/// <summary>Source-generated (de)serialization, snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(GatewayHello))]
[JsonSerializable(typeof(GatewayReady))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(DiscordInteraction))]
[JsonSerializable(typeof(DiscordCreated))]
[JsonSerializable(typeof(DiscordErrorBody))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(DiscordInteractionResponse))]
[JsonSerializable(typeof(DiscordAutocompleteResponse))]
[JsonSerializable(typeof(IReadOnlyList<DiscordCommand>))]
[JsonSerializable(typeof(DiscordCreateDm))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext;
