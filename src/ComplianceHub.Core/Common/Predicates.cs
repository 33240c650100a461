using System.Linq.Expressions;

namespace ComplianceHub.Core.Common;

/// <summary>Combines query conditions so they still translate to SQL (one parameter, no invocation).</summary>
public static class Predicates
{
    /// <summary><paramref name="left"/> OR <paramref name="right"/>, over <paramref name="left"/>'s parameter.</summary>
    public static Expression<Func<T, bool>> OrElse<T>(Expression<Func<T, bool>> left, Expression<Func<T, bool>> right)
    {
        var parameter = left.Parameters[0];
        var body = new Rebind(right.Parameters[0], parameter).Visit(right.Body);
        return Expression.Lambda<Func<T, bool>>(Expression.OrElse(left.Body, body), parameter);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
