### Madini message catalog: findings, fr.
