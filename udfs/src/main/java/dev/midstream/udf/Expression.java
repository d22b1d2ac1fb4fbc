package dev.midstream.udf;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small expression over a record's fields, for cross-field rules ({@code amount <= credit_limit || status == 'trial'})
 * and derived fields ({@code concat(upper(country), '-', city)}).
 *
 * <p>Literals: numbers ({@code 12}, {@code 0.5}), strings in single quotes, {@code true}, {@code false},
 * {@code null}. Fields by name or path ({@code address.city}). Operators, loosest first: {@code ||}, {@code &&},
 * {@code !}, comparisons ({@code == != < <= > >=}), {@code + -}, {@code * /}, unary {@code -}. Functions:
 * {@code lower upper trim length concat coalesce}, and {@code scale} (decimal places of a number, trailing zeros
 * ignored). A comparison with null is only true for {@code ==}/{@code !=};
 * arithmetic with null gives null. Parsed once; evaluation never touches anything but the record.
 */
public final class Expression implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<String> FUNCTIONS = Set.of("lower", "upper", "trim", "length", "scale", "concat", "coalesce");

    private final String text;
    private final Node root;
    private final int slots;

    private Expression(String text, Node root, int slots) {
        this.text = text;
        this.root = root;
        this.slots = slots;
    }

    /** @throws ExpressionException with the 0-based offset of the problem in {@code text} */
    public static Expression parse(String text) {
        Parser parser = new Parser(text);
        Node root = parser.or();
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw new ExpressionException(parser.pos, "unexpected '" + text.charAt(parser.pos) + "'");
        }
        Map<Node, Integer> slots = new HashMap<>();
        Node shared = Repeats.share(root, Repeats.count(root), slots);
        return new Expression(text, shared, slots.size());
    }

    public Object evaluate(Record record) {
        return root.eval(record, slots == 0 ? null : new Object[slots]);
    }

    /** True only if the expression evaluates to {@code true}; a non-boolean result is an error. */
    public boolean test(Record record) {
        Object value = evaluate(record);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ExpressionException(0, "'" + text + "' is not a condition: it gives " + describe(value));
    }

    /** The field paths the expression reads, so a pipeline file can be checked against its schema. */
    public List<String> fields() {
        List<String> fields = new ArrayList<>();
        root.collectFields(fields);
        return fields;
    }

    public String text() {
        return text;
    }

    /** How many repeated subexpressions an evaluation computes once and reuses. */
    int sharedSubexpressions() {
        return slots;
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node extends Serializable {
        Object eval(Record record, Object[] memo);

        default void collectFields(List<String> fields) {}
    }

    /**
     * A computation the expression repeats ({@code upper(trim(currency))} in three branches), evaluated once per
     * record: the functions and operators are pure, so the first result is every copy's result.
     */
    private record Memo(int slot, Node node) implements Node {
        private static final Object NULL = new Object();

        public Object eval(Record record, Object[] memo) {
            Object value = memo[slot];
            if (value == null) {
                value = node.eval(record, memo);
                memo[slot] = value == null ? NULL : value;
                return value;
            }
            return value == NULL ? null : value;
        }

        public void collectFields(List<String> fields) {
            node.collectFields(fields);
        }
    }

    /** Finds the subexpressions that occur more than once (by structure: the nodes are records) and shares them. */
    private static final class Repeats {
        static Map<Node, Integer> count(Node root) {
            Map<Node, Integer> counts = new HashMap<>();
            visit(root, counts);
            return counts;
        }

        private static void visit(Node node, Map<Node, Integer> counts) {
            // A repeat's inside is counted once, with its first copy: it is evaluated once, inside the repeat.
            if (counts.merge(node, 1, Integer::sum) == 1) {
                children(node).forEach(child -> visit(child, counts));
            }
        }

        static Node share(Node node, Map<Node, Integer> counts, Map<Node, Integer> slots) {
            List<Node> children = children(node);
            List<Node> shared = new ArrayList<>(children.size());
            for (Node child : children) {
                shared.add(share(child, counts, slots));
            }
            Node rebuilt = shared.equals(children) ? node : withChildren(node, shared);
            // Reading a field or a literal again costs less than looking up a slot.
            if (counts.get(node) > 1 && !(node instanceof Literal) && !(node instanceof Field)) {
                return new Memo(slots.computeIfAbsent(node, repeated -> slots.size()), rebuilt);
            }
            return rebuilt;
        }

        private static List<Node> children(Node node) {
            if (node instanceof Not n) {
                return List.of(n.operand());
            }
            if (node instanceof Negate n) {
                return List.of(n.operand());
            }
            if (node instanceof Binary b) {
                return List.of(b.left(), b.right());
            }
            if (node instanceof Call c) {
                return c.args();
            }
            return List.of();
        }

        private static Node withChildren(Node node, List<Node> children) {
            if (node instanceof Not) {
                return new Not(children.get(0));
            }
            if (node instanceof Negate) {
                return new Negate(children.get(0));
            }
            if (node instanceof Binary b) {
                return new Binary(b.op(), children.get(0), children.get(1));
            }
            if (node instanceof Call c) {
                return new Call(c.function(), List.copyOf(children));
            }
            return node;
        }
    }

    private record Literal(Object value) implements Node {
        public Object eval(Record record, Object[] memo) {
            return value;
        }
    }

    private record Field(String path) implements Node {
        Field {
            path = path.intern(); // also as a task deserializes it: records then find the name by identity
        }

        public Object eval(Record record, Object[] memo) {
            return record.get(path);
        }

        public void collectFields(List<String> fields) {
            fields.add(path);
        }
    }

    private record Not(Node operand) implements Node {
        public Object eval(Record record, Object[] memo) {
            return !bool(operand.eval(record, memo), "!");
        }

        public void collectFields(List<String> fields) {
            operand.collectFields(fields);
        }
    }

    private record Negate(Node operand) implements Node {
        public Object eval(Record record, Object[] memo) {
            Object value = operand.eval(record, memo);
            return value == null ? null : number(value, "-").negate();
        }

        public void collectFields(List<String> fields) {
            operand.collectFields(fields);
        }
    }

    /** Resolved when parsed, so evaluating does not compare the operator's text per record. */
    private enum Op {
        OR("||"), AND("&&"), EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), ADD("+"), SUBTRACT("-"),
        MULTIPLY("*"), DIVIDE("/");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    private record Binary(Op op, Node left, Node right) implements Node {
        public Object eval(Record record, Object[] memo) {
            String symbol = op.symbol;
            switch (op) {
                case OR:
                    return bool(left.eval(record, memo), symbol) || bool(right.eval(record, memo), symbol);
                case AND:
                    return bool(left.eval(record, memo), symbol) && bool(right.eval(record, memo), symbol);
                default:
                    break;
            }
            Object a = left.eval(record, memo);
            Object b = right.eval(record, memo);
            switch (op) {
                case EQ:
                    return equal(a, b);
                case NE:
                    return !equal(a, b);
                case LT, LE, GT, GE: {
                    if (a == null || b == null) {
                        return false;
                    }
                    int c = compare(a, b, symbol);
                    return switch (op) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    };
                }
                default: {
                    if (a == null || b == null) {
                        return null;
                    }
                    BigDecimal x = number(a, symbol);
                    BigDecimal y = number(b, symbol);
                    return switch (op) {
                        case ADD -> x.add(y);
                        case SUBTRACT -> x.subtract(y);
                        case MULTIPLY -> x.multiply(y);
                        default -> {
                            if (y.signum() == 0) {
                                throw new ExpressionException(0, "division by zero");
                            }
                            yield x.divide(y, MathContext.DECIMAL64);
                        }
                    };
                }
            }
        }

        public void collectFields(List<String> fields) {
            left.collectFields(fields);
            right.collectFields(fields);
        }
    }

    private enum Function { LOWER, UPPER, TRIM, LENGTH, SCALE, CONCAT, COALESCE }

    private record Call(Function function, List<Node> args) implements Node {
        public Object eval(Record record, Object[] memo) {
            switch (function) {
                case COALESCE: {
                    // Every argument is evaluated, as before: one that cannot be is an error even after a value.
                    Object first = null;
                    for (Node arg : args) {
                        Object value = arg.eval(record, memo);
                        if (first == null) {
                            first = value;
                        }
                    }
                    return first;
                }
                case CONCAT: {
                    StringBuilder out = new StringBuilder();
                    for (Node arg : args) {
                        Object value = arg.eval(record, memo);
                        if (value != null) {
                            out.append(text(value));
                        }
                    }
                    return out.toString();
                }
                default:
                    break;
            }
            Object value = args.get(0).eval(record, memo);
            if (value == null) {
                return null;
            }
            return switch (function) {
                case LOWER -> text(value).toLowerCase(Locale.ROOT);
                case UPPER -> text(value).toUpperCase(Locale.ROOT);
                case TRIM -> text(value).strip();
                case SCALE -> (long) Math.max(0, number(value, "scale()").stripTrailingZeros().scale());
                default -> (long) text(value).length();
            };
        }

        public void collectFields(List<String> fields) {
            args.forEach(arg -> arg.collectFields(fields));
        }
    }

    private static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.longValue() == y.longValue();
        }
        if (isNumber(a) && isNumber(b)) {
            return number(a, "==").compareTo(number(b, "==")) == 0;
        }
        if (a instanceof Instant || b instanceof Instant) {
            return compare(a, b, "==") == 0;
        }
        return a.equals(b);
    }

    private static int compare(Object a, Object b, String op) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (isNumber(a) && isNumber(b)) {
            return number(a, op).compareTo(number(b, op));
        }
        if (a instanceof Instant || b instanceof Instant) {
            return instant(a, op).compareTo(instant(b, op));
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new ExpressionException(0, "cannot compare " + describe(a) + " with " + describe(b) + " using " + op);
    }

    // Timestamp literals ('2000-01-01T00:00:00Z') are compared with every record; parsing them each time was 13 % of
    // the orders pipeline's validation thread in the benchmark's profile. Bounded: values from records may pass here.
    private static final int PARSED_INSTANTS_MAX = 1024;
    private static final java.util.Map<String, Instant> PARSED_INSTANTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Instant instant(Object value, String op) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof String s) {
            Instant cached = PARSED_INSTANTS.get(s);
            if (cached != null) {
                return cached;
            }
            try {
                Instant parsed = Instant.parse(s);
                if (PARSED_INSTANTS.size() < PARSED_INSTANTS_MAX) {
                    PARSED_INSTANTS.put(s, parsed);
                }
                return parsed;
            } catch (RuntimeException e) {
                throw new ExpressionException(0, "'" + s + "' is not an ISO-8601 instant (for " + op + ")");
            }
        }
        throw new ExpressionException(0, op + " needs a timestamp, got " + describe(value));
    }

    private static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof BigDecimal;
    }

    private static BigDecimal number(Object value, String op) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        throw new ExpressionException(0, op + " needs a number, got " + describe(value));
    }

    private static boolean bool(Object value, String op) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ExpressionException(0, op + " needs true or false, got " + describe(value));
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(value);
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static final class Parser {
        // Longest first: '<' must not take the start of '<='.
        private static final Op[] COMPARISONS = {Op.EQ, Op.NE, Op.LE, Op.GE, Op.LT, Op.GT};

        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Node or() {
            Node left = and();
            while (eat("||")) {
                left = new Binary(Op.OR, left, and());
            }
            return left;
        }

        Node and() {
            Node left = not();
            while (eat("&&")) {
                left = new Binary(Op.AND, left, not());
            }
            return left;
        }

        Node not() {
            skipSpace();
            if (peek('!') && !peekAt(1, '=')) {
                pos++;
                return new Not(not());
            }
            return comparison();
        }

        Node comparison() {
            Node left = sum();
            for (Op op : COMPARISONS) {
                if (eat(op.symbol)) {
                    return new Binary(op, left, sum());
                }
            }
            return left;
        }

        Node sum() {
            Node left = term();
            while (true) {
                if (eat("+")) {
                    left = new Binary(Op.ADD, left, term());
                } else if (eat("-")) {
                    left = new Binary(Op.SUBTRACT, left, term());
                } else {
                    return left;
                }
            }
        }

        Node term() {
            Node left = unary();
            while (true) {
                if (eat("*")) {
                    left = new Binary(Op.MULTIPLY, left, unary());
                } else if (eat("/")) {
                    left = new Binary(Op.DIVIDE, left, unary());
                } else {
                    return left;
                }
            }
        }

        Node unary() {
            if (eat("-")) {
                return new Negate(unary());
            }
            return primary();
        }

        Node primary() {
            skipSpace();
            if (pos >= text.length()) {
                throw new ExpressionException(pos, "expression ends too early");
            }
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = or();
                expect(')');
                return inner;
            }
            if (c == '\'') {
                return new Literal(string());
            }
            if (Character.isDigit(c)) {
                int start = pos;
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                    pos++;
                }
                String number = text.substring(start, pos);
                try {
                    return new Literal(number.contains(".") ? new BigDecimal(number) : (Object) Long.parseLong(number));
                } catch (NumberFormatException e) {
                    throw new ExpressionException(start, "'" + number + "' is not a number");
                }
            }
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
                        || text.charAt(pos) == '_' || text.charAt(pos) == '.')) {
                    pos++;
                }
                String name = text.substring(start, pos);
                switch (name) {
                    case "true":
                        return new Literal(true);
                    case "false":
                        return new Literal(false);
                    case "null":
                        return new Literal(null);
                    default:
                        break;
                }
                skipSpace();
                if (peek('(')) {
                    if (!FUNCTIONS.contains(name)) {
                        throw new ExpressionException(start, "unknown function '" + name + "'; expected one of "
                                + new java.util.TreeSet<>(FUNCTIONS));
                    }
                    pos++;
                    List<Node> args = new ArrayList<>();
                    skipSpace();
                    if (!peek(')')) {
                        do {
                            args.add(or());
                        } while (eat(","));
                    }
                    expect(')');
                    boolean variadic = name.equals("concat") || name.equals("coalesce");
                    if (variadic ? args.isEmpty() : args.size() != 1) {
                        throw new ExpressionException(start, name + "() takes "
                                + (variadic ? "at least one argument" : "exactly one argument"));
                    }
                    return new Call(Function.valueOf(name.toUpperCase(Locale.ROOT)), List.copyOf(args));
                }
                if (name.endsWith(".") || name.contains("..")) {
                    throw new ExpressionException(start, "'" + name + "' is not a field path");
                }
                return new Field(name);
            }
            throw new ExpressionException(pos, "unexpected '" + c + "'");
        }

        String string() {
            int start = pos++;
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '\'') {
                    if (peek('\'')) {
                        out.append('\'');
                        pos++;
                    } else {
                        return out.toString();
                    }
                } else {
                    out.append(c);
                }
            }
            throw new ExpressionException(start, "string is not closed with '");
        }

        void expect(char c) {
            skipSpace();
            if (!peek(c)) {
                throw new ExpressionException(pos, "expected '" + c + "'"
                        + (pos < text.length() ? ", got '" + text.charAt(pos) + "'" : " at the end"));
            }
            pos++;
        }

        boolean eat(String token) {
            skipSpace();
            if (text.startsWith(token, pos)) {
                // '<' must not eat the start of '<=', '!' not the start of '!='.
                pos += token.length();
                return true;
            }
            return false;
        }

        boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        boolean peekAt(int offset, char c) {
            return pos + offset < text.length() && text.charAt(pos + offset) == c;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
