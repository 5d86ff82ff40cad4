-- Severity values upper case like every other enum (issue 12). RENAME VALUE keeps the enum's order
-- (CRITICAL < HIGH < MEDIUM < LOW, what "ORDER BY severity" relies on) and rewrites every stored value
-- at once: finding.severity and rule_override.severity, with no table rewrite.
ALTER TYPE "Severity" RENAME VALUE 'critical' TO 'CRITICAL';
ALTER TYPE "Severity" RENAME VALUE 'high' TO 'HIGH';
ALTER TYPE "Severity" RENAME VALUE 'medium' TO 'MEDIUM';
ALTER TYPE "Severity" RENAME VALUE 'low' TO 'LOW';
