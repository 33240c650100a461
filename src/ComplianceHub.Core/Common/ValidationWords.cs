using System.Collections;
using System.Collections.Frozen;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Resources;

namespace ComplianceHub.Core.Common;

/// <summary>
/// Every FluentValidation message a rule of Core does not word itself reads as a sentence for people, naming the field by its
/// label from <see cref="Words.Field"/>: "Enter the employee ID.", "Choose the person.", "Shorten the name to 200 characters or
/// fewer (it has 230)." — never the framework's "'Employee Id' must not be empty.". Set once for the process when Core is
/// loaded (a module initializer), so validators give the same words whoever runs them: the command pipeline, a page that checks
/// a form before sending it, a test. <c>ValidatorWordingTests</c> runs every validator of Core over empty input.
/// </summary>
public static class ValidationWords
{
    /// <summary>The placeholder of the field's label inside a sentence ("employee ID"), beside FluentValidation's own.</summary>
    private const string Field = "Field";

    /// <summary>"Enter" for a value typed in, "Choose" for a record, an option or a list picked from.</summary>
    private const string Verb = "Verb";

    private static readonly FrozenDictionary<string, string> Messages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NotEmptyValidator"] = "{Verb} the {Field}.",
        ["NotNullValidator"] = "{Verb} the {Field}.",
        ["NullValidator"] = "Leave the {Field} empty.",
        ["EmptyValidator"] = "Leave the {Field} empty.",
        ["MaximumLengthValidator"] = "Shorten the {Field} to {MaxLength} characters or fewer (it has {TotalLength}).",
        ["MinimumLengthValidator"] = "The {Field} needs at least {MinLength} characters (it has {TotalLength}).",
        ["LengthValidator"] = "The {Field} needs {MinLength} to {MaxLength} characters (it has {TotalLength}).",
        ["ExactLengthValidator"] = "The {Field} needs exactly {MaxLength} characters (it has {TotalLength}).",
        ["EmailValidator"] = "Enter a valid e-mail address, such as name@example.com.",
        ["EnumValidator"] = "Choose one of the offered values for the {Field}.",
        ["StringEnumValidator"] = "Choose one of the offered values for the {Field}.",
        ["InclusiveBetweenValidator"] = "The {Field} must be between {From} and {To}.",
        ["ExclusiveBetweenValidator"] = "The {Field} must be more than {From} and less than {To}.",
        ["GreaterThanOrEqualValidator"] = "The {Field} must be {ComparisonValue} or more.",
        ["GreaterThanValidator"] = "The {Field} must be more than {ComparisonValue}.",
        ["LessThanOrEqualValidator"] = "The {Field} must be {ComparisonValue} or less.",
        ["LessThanValidator"] = "The {Field} must be less than {ComparisonValue}.",
        ["EqualValidator"] = "The {Field} must be {ComparisonValue}.",
        ["NotEqualValidator"] = "The {Field} must not be {ComparisonValue}.",
        ["RegularExpressionValidator"] = "The {Field} is not in the expected format.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string Otherwise = "Check the {Field}: the value is not valid.";

    private static int applied;

    /// <summary>Sets the process-wide wording (once; later calls do nothing).</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1)
        {
            return;
        }
        ValidatorOptions.Global.LanguageManager = new Sentences();
        ValidatorOptions.Global.MessageFormatterFactory = () => new LabelledFormatter();
        ValidatorOptions.Global.DisplayNameResolver = (_, member, expression) => Label(member, expression);
    }

#pragma warning disable CA2255 // The wording must hold wherever Core's validators run, without each host remembering to set it.
    [ModuleInitializer]
    internal static void OnLoad() => Apply();
#pragma warning restore CA2255

    /// <summary>The label of the property a rule is for: the member path of its expression as a key of <see cref="Words.Field"/>.</summary>
    private static string? Label(MemberInfo? member, LambdaExpression? expression)
    {
        var path = new List<string>();
        for (var e = expression?.Body; e is MemberExpression m; e = m.Expression)
        {
            path.Insert(0, m.Member.Name);
        }
        if (path.Count == 0 && member is not null)
        {
            path.Add(member.Name);
        }
        return path.Count == 0 ? null : Words.Field(string.Join('.', path.Select(JsonNamingPolicy.CamelCase.ConvertName)));
    }

    /// <summary>A label inside a sentence: "Employee ID" → "employee ID"; "US lawful permanent resident" keeps its capitals.</summary>
    private static string InSentence(string label)
    {
        if (label.Length < 2 || !char.IsUpper(label[0]) || char.IsUpper(label[1]))
        {
            return label;
        }
        return char.ToLowerInvariant(label[0]) + label[1..];
    }

    /// <summary>
    /// A display name as FluentValidation gives it (a label from <see cref="Label"/>, or a property name it split itself,
    /// "Impact Level", where a rule's expression names no member) read as a label of <see cref="Words.Field"/>.
    /// </summary>
    private static string FieldOf(string displayName)
    {
        var index = displayName.IndexOf('[', StringComparison.Ordinal);
        var name = index > 0 ? displayName[..index] : displayName;
        // A label of Words ("Work location") stands; FluentValidation's own split ("Impact Level", "Work City") is looked up.
        var split = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var label = split.Length > 0 && split.All(w => char.IsUpper(w[0]))
            ? Words.Field(JsonNamingPolicy.CamelCase.ConvertName(string.Concat(split)))
            : name;
        label = InSentence(label);
        return index > 0 && int.TryParse(displayName[(index + 1)..].TrimEnd(']'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? $"{label} (item {i + 1})"
            : label;
    }

    private static bool IsPicked(object? value) => value is Guid or Enum || (value is IEnumerable and not string);

    private sealed class Sentences : ILanguageManager
    {
        public bool Enabled { get; set; } = true;
        public CultureInfo? Culture { get; set; }
        public string GetString(string key, CultureInfo? culture = null) => Messages.GetValueOrDefault(key, Otherwise);
    }

    private sealed class LabelledFormatter : MessageFormatter
    {
        public override string BuildMessage(string messageTemplate)
        {
            var display = PlaceholderValues.TryGetValue(PropertyName, out var name) ? name?.ToString() ?? "" : "";
            PlaceholderValues[Field] = FieldOf(display);
            PlaceholderValues[Verb] = IsPicked(PlaceholderValues.GetValueOrDefault(PropertyValue)) ? "Choose" : "Enter";
            return base.BuildMessage(messageTemplate);
        }
    }
}
