#!/bin/sh
# SPDX-License-Identifier: ISC
# Generates configure and Makefile.in from a clean checkout.
set -e
cd "$(dirname "$0")"
mkdir -p m4
autoreconf -fi
