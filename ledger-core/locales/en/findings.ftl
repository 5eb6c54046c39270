### Madini message catalog: findings, en.
