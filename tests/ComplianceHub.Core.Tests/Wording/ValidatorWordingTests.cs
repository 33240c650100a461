using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Common;
using FluentValidation;

namespace ComplianceHub.Core.Tests.Wording;

/// <summary>
/// Every FluentValidation validator of Core, run over an empty instance of what it checks (every text empty, every id empty,
/// every list empty, every enum out of range), answers in sentences for people: no framework default ("must not be empty"),
/// no property name in quotes, no camelCase or PascalCase key.
/// </summary>
public sealed partial class ValidatorWordingTests
{
    public static TheoryData<Type> Validators()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(Words).Assembly.GetTypes()
                     .Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition && ValidatedType(t) is not null && t.GetConstructor(Type.EmptyTypes) is not null)
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            data.Add(type);
        }
        return data;
    }

    [Fact]
    public void The_Sweep_FindsTheValidators() =>
        Assert.True(Validators().Count >= 30, $"only {Validators().Count} validators found in Core: is the assembly the right one?");

    [Theory]
    [MemberData(nameof(Validators))]
    public void EveryMessage_OfEveryValidator_IsASentenceForPeople(Type validatorType)
    {
        var validator = (IValidator)Activator.CreateInstance(validatorType)!;
        var instance = Empty(ValidatedType(validatorType)!, depth: 0)!;

        var result = validator.Validate(new ValidationContext<object>(instance));

        Assert.False(result.IsValid, $"{validatorType.Name} accepts an empty {instance.GetType().Name}: the sweep checks nothing");
        foreach (var error in result.Errors)
        {
            var message = error.ErrorMessage;
            Assert.DoesNotContain("must not be empty", message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("must not equal", message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("has a range of values", message, StringComparison.OrdinalIgnoreCase);
            Assert.False(QuotedName().IsMatch(message), $"{validatorType.Name} quotes a field name: {message}");
            Assert.False(CodeWord().IsMatch(message), $"{validatorType.Name} shows a key as code ({error.PropertyName}): {message}");
            Assert.True(message.EndsWith('.'), $"{validatorType.Name}: not a sentence ({error.PropertyName}): {message}");
        }
    }

    [Fact]
    public void ADefaultMessage_NamesTheFieldByItsLabel()
    {
        var result = new EmptyCheck().Validate(new Sample("", Guid.Empty, new string('x', 12)));

        Assert.Equal(["Enter the employee ID.", "Choose the person.", "Shorten the work city to 10 characters or fewer (it has 12)."],
            result.Errors.Select(e => e.ErrorMessage));
    }

    private sealed record Sample(string EmployeeId, Guid PersonId, string WorkCity);

    private sealed class EmptyCheck : AbstractValidator<Sample>
    {
        public EmptyCheck()
        {
            RuleFor(s => s.EmployeeId).NotEmpty();
            RuleFor(s => s.PersonId).NotEmpty();
            RuleFor(s => s.WorkCity).MaximumLength(10);
        }
    }

    private static Type? ValidatedType(Type validator)
    {
        for (var t = validator.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(AbstractValidator<>))
            {
                return t.GetGenericArguments()[0];
            }
        }
        return null;
    }

    /// <summary>An instance whose every value is empty: "" for text, empty ids and lists, enums out of range, nested records empty too.</summary>
    private static object? Empty(Type type, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is not null) { return null; }
        if (type == typeof(string)) { return ""; }
        if (type == typeof(Guid)) { return Guid.Empty; }
        if (type.IsEnum) { return Enum.ToObject(type, 999); }
        if (type == typeof(byte[])) { return Array.Empty<byte>(); }
        if (type.IsArray) { return Array.CreateInstance(type.GetElementType()!, 0); }
        if (type.IsValueType) { return Activator.CreateInstance(type); }
        if (type == typeof(Stream)) { return new MemoryStream(); }
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var args = type.GetGenericArguments();
            var concrete = args.Length == 2 ? typeof(Dictionary<,>).MakeGenericType(args)
                : type.IsInterface ? typeof(List<>).MakeGenericType(args) : type;
            return Activator.CreateInstance(concrete);
        }
        if (type.IsAbstract || type.IsInterface || depth > 4) { return null; }
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        if (constructor is null) { return null; }
        return constructor.Invoke(constructor.GetParameters().Select(p => Empty(p.ParameterType, depth + 1)).ToArray());
    }

    /// <summary>A name in single quotes, as FluentValidation's defaults write it: "'Employee Id'".</summary>
    [GeneratedRegex(@"'[A-Z][A-Za-z ]*'")]
    private static partial Regex QuotedName();

    /// <summary>A camelCase or PascalCase word ("workCountry", "EmployeeId"); "DoDAAC" and "e-mail" are words.</summary>
    [GeneratedRegex(@"\b(?!DoDAAC\b)[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")]
    private static partial Regex CodeWord();
}
