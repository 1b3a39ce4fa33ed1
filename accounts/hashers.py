"""A cheaper PBKDF2 for one-time passwords only.

Django's default PBKDF2 (1.000.000 iterations in Django 5.2) takes about 0,25 s a password on
the portal's 2-core machine: the 150 accounts without email of a province would hash for about
40 s in one request. A one-time password is random (10 characters of 54: about 57 bits), handed
over on paper and changed at the first login, so it needs far fewer iterations to be out of reach
of guessing: at 20.000 (about 5 ms) a stolen hash still costs ~2^72 PBKDF2-SHA256 rounds to
break. It is listed after the default in PASSWORD_HASHERS, so it checks passwords but never makes
them except when asked by name (``accounts.services.one_time_password_issue``), and Django
re-hashes the password with the default at the first login (the algorithm differs from the
preferred one).

Measured on the portal's machine (2 cores, Python 3.11): one PBKDF2-SHA256 hash of a one-time
password takes 244 ms at 1.000.000 iterations (150 passwords: 37 s), 26 ms at 100.000 (3,9 s),
5 ms at 20.000 (0,8 s) and 2,8 ms at 10.000 (0,4 s).
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_onetime"
    iterations = 20_000
