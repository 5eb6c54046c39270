### Madini message catalog: findings, sw.
